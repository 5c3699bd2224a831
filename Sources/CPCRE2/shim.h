#ifndef PORTCULLIS_CPCRE2_SHIM_H
#define PORTCULLIS_CPCRE2_SHIM_H
// 8-bit code units: UTF-8 subjects and patterns.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
