#ifndef PORTCULLIS_CCURLLOADER_H
#define PORTCULLIS_CCURLLOADER_H

#include <stddef.h>

/// What one HTTP GET through libcurl produced. Release with `portcullis_http_response_free`.
typedef struct portcullis_http_response {
    /// The status code of the last response (after redirects), 0 when none came.
    long status;
    /// The body of the last response (malloc'd, not NUL-terminated).
    char *body;
    size_t body_length;
    /// The header lines of the last response, as received ("Name: value\r\n" each).
    char *headers;
    size_t headers_length;
    /// libcurl's CURLcode: 0 when the transfer completed, whatever the status.
    int curl_code;
    /// The system's errno of a failed connection (ECONNREFUSED, …), 0 when none.
    int os_errno;
    /// libcurl's words for a failure, or why libcurl could not be loaded.
    char error[256];
} portcullis_http_response;

/// libcurl's codes that callers tell apart (the values of curl.h, part of its ABI).
enum {
    PORTCULLIS_CURLE_COULDNT_RESOLVE_HOST = 6,
    PORTCULLIS_CURLE_COULDNT_CONNECT = 7,
    PORTCULLIS_CURLE_OPERATION_TIMEDOUT = 28,
};

/// Loads libcurl (`libcurl.so.4`) the first time it is called. Returns 0 when it is usable,
/// otherwise -1 with the loader's message in `error` (at most `error_size` bytes).
int portcullis_curl_load(char *error, size_t error_size);

/// GETs an http:// or https:// `url` with the given extra request header lines, following
/// redirects, within `timeout_ms` for the whole transfer. Blocks the calling thread.
/// Returns 0 when libcurl was loaded and ran (see `response->curl_code`), -1 otherwise.
int portcullis_http_get(const char *url, const char *const *header_lines, size_t header_count,
                        long timeout_ms, portcullis_http_response *response);

void portcullis_http_response_free(portcullis_http_response *response);

#endif
