// libcurl, loaded with dlopen the first time a feed is fetched over HTTP.
//
// Linking libcurl (or FoundationNetworking, which links it) maps it and its chain — OpenSSL,
// GnuTLS, Kerberos, LDAP, SSH, some 30 libraries — into every daemon at start, with about 1 MiB
// of relocated data that stays resident even when no feed is configured. Loading it on demand
// keeps an idle daemon small. The option numbers below are those of curl.h, which are part of
// libcurl's ABI (libcurl.so.4) and never change meaning.

#include "CCurlLoader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void CURL;
struct curl_slist;
typedef size_t (*curl_write_callback)(char *data, size_t size, size_t count, void *context);

enum {
    OPT_WRITEDATA = 10001, OPT_URL = 10002, OPT_ERRORBUFFER = 10010, OPT_WRITEFUNCTION = 20011,
    OPT_USERAGENT = 10018, OPT_HTTPHEADER = 10023, OPT_HEADERDATA = 10029, OPT_FOLLOWLOCATION = 52,
    OPT_MAXREDIRS = 68, OPT_HEADERFUNCTION = 20079, OPT_NOSIGNAL = 99, OPT_ACCEPT_ENCODING = 10102,
    OPT_TIMEOUT_MS = 155, OPT_PROTOCOLS = 181, OPT_REDIR_PROTOCOLS = 182,
    OPT_PROTOCOLS_STR = 10318, OPT_REDIR_PROTOCOLS_STR = 10319,
    INFO_RESPONSE_CODE = 0x200000 + 2, INFO_OS_ERRNO = 0x200000 + 25,
    GLOBAL_ALL = 3, PROTO_HTTP_HTTPS = 3, CURL_ERROR_SIZE = 256,
};

static struct {
    int (*global_init)(long flags);
    CURL *(*easy_init)(void);
    int (*easy_setopt)(CURL *, int option, ...);
    int (*easy_perform)(CURL *);
    int (*easy_getinfo)(CURL *, int info, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(int code);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded;
static char load_error[256];

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        snprintf(load_error, sizeof load_error, "cannot load libcurl (install libcurl4): %s", dlerror());
        return;
    }
#define SYMBOL(field, name)                                                                      \
    if ((*(void **)&curl.field = dlsym(library, name)) == NULL) {                               \
        snprintf(load_error, sizeof load_error, "libcurl.so.4 has no %s", name);                \
        return;                                                                                  \
    }
    SYMBOL(global_init, "curl_global_init")
    SYMBOL(easy_init, "curl_easy_init")
    SYMBOL(easy_setopt, "curl_easy_setopt")
    SYMBOL(easy_perform, "curl_easy_perform")
    SYMBOL(easy_getinfo, "curl_easy_getinfo")
    SYMBOL(easy_cleanup, "curl_easy_cleanup")
    SYMBOL(easy_strerror, "curl_easy_strerror")
    SYMBOL(slist_append, "curl_slist_append")
    SYMBOL(slist_free_all, "curl_slist_free_all")
#undef SYMBOL
    if (curl.global_init(GLOBAL_ALL) != 0) {
        snprintf(load_error, sizeof load_error, "libcurl's curl_global_init failed");
        return;
    }
    loaded = 1;
}

int portcullis_curl_load(char *error, size_t error_size) {
    pthread_once(&load_once, load);
    if (loaded) return 0;
    if (error != NULL && error_size > 0) snprintf(error, error_size, "%s", load_error);
    return -1;
}

/// A growing byte buffer that a libcurl callback appends to.
typedef struct {
    char *bytes;
    size_t length;
    int failed;
} buffer;

static size_t append(char *data, size_t size, size_t count, void *context) {
    buffer *target = context;
    size_t added = size * count;
    char *grown = realloc(target->bytes, target->length + added + 1);
    if (grown == NULL) {
        target->failed = 1;
        return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
    }
    memcpy(grown + target->length, data, added);
    target->bytes = grown;
    target->length += added;
    return added;
}

/// Header lines: a status line starts the headers of a new response (after a redirect or a
/// `100 Continue`), so only the last response's lines are kept.
static size_t append_header(char *data, size_t size, size_t count, void *context) {
    buffer *target = context;
    if (size * count >= 5 && memcmp(data, "HTTP/", 5) == 0) target->length = 0;
    return append(data, size, count, context);
}

int portcullis_http_get(const char *url, const char *const *header_lines, size_t header_count,
                        long timeout_ms, portcullis_http_response *response) {
    memset(response, 0, sizeof *response);
    if (portcullis_curl_load(response->error, sizeof response->error) != 0) return -1;
    CURL *handle = curl.easy_init();
    if (handle == NULL) {
        snprintf(response->error, sizeof response->error, "libcurl's curl_easy_init failed");
        return -1;
    }
    struct curl_slist *headers = NULL;
    for (size_t index = 0; index < header_count; index++) headers = curl.slist_append(headers, header_lines[index]);
    buffer body = {0}, header_text = {0};
    char error[CURL_ERROR_SIZE] = {0};

    curl.easy_setopt(handle, OPT_URL, url);
    curl.easy_setopt(handle, OPT_ERRORBUFFER, error);
    curl.easy_setopt(handle, OPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, OPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(handle, OPT_FOLLOWLOCATION, 1L);
    curl.easy_setopt(handle, OPT_MAXREDIRS, 10L);
    if (curl.easy_setopt(handle, OPT_PROTOCOLS_STR, "http,https") != 0) {
        curl.easy_setopt(handle, OPT_PROTOCOLS, (long)PROTO_HTTP_HTTPS);  // libcurl before 7.85
    }
    if (curl.easy_setopt(handle, OPT_REDIR_PROTOCOLS_STR, "http,https") != 0) {
        curl.easy_setopt(handle, OPT_REDIR_PROTOCOLS, (long)PROTO_HTTP_HTTPS);
    }
    curl.easy_setopt(handle, OPT_ACCEPT_ENCODING, "");  // every encoding libcurl decodes
    curl.easy_setopt(handle, OPT_HTTPHEADER, headers);
    curl.easy_setopt(handle, OPT_WRITEFUNCTION, (curl_write_callback)append);
    curl.easy_setopt(handle, OPT_WRITEDATA, &body);
    curl.easy_setopt(handle, OPT_HEADERFUNCTION, (curl_write_callback)append_header);
    curl.easy_setopt(handle, OPT_HEADERDATA, &header_text);

    response->curl_code = curl.easy_perform(handle);
    curl.easy_getinfo(handle, INFO_RESPONSE_CODE, &response->status);
    long os_errno = 0;
    curl.easy_getinfo(handle, INFO_OS_ERRNO, &os_errno);
    response->os_errno = (int)os_errno;
    if (body.failed || header_text.failed) {
        snprintf(response->error, sizeof response->error, "out of memory for the response");
    } else if (response->curl_code != 0) {
        const char *words = error[0] != '\0' ? error : curl.easy_strerror(response->curl_code);
        snprintf(response->error, sizeof response->error, "%s", words);
    }
    curl.easy_cleanup(handle);
    curl.slist_free_all(headers);
    response->body = body.bytes;
    response->body_length = body.length;
    response->headers = header_text.bytes;
    response->headers_length = header_text.length;
    return 0;
}

void portcullis_http_response_free(portcullis_http_response *response) {
    free(response->body);
    free(response->headers);
    response->body = NULL;
    response->headers = NULL;
}
