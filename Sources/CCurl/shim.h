#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
#include <curl/curl.h>

// Swift cannot call C variadic functions: one wrapper per argument shape of curl_easy_setopt/getinfo.
typedef size_t (*ccurl_write_cb)(char *, size_t, size_t, void *);
static inline CURLcode ccurl_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_pointer(CURL *h, CURLoption o, void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_setopt_write_cb(CURL *h, CURLoption o, ccurl_write_cb v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode ccurl_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_string(CURL *h, CURLINFO i, char **v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_off_t(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode ccurl_easy_getinfo_double(CURL *h, CURLINFO i, double *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode ccurl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURLcode ccurl_msg_result(const CURLMsg *m) { return m->data.result; }

// SSRF guard: libcurl asks us to open every socket, which lets us refuse the address actually connected.
typedef curl_socket_t (*ccurl_opensocket_cb)(void *, curlsocktype, struct curl_sockaddr *);
static inline CURLcode ccurl_easy_setopt_opensocket_cb(CURL *h, CURLoption o, ccurl_opensocket_cb v) { return curl_easy_setopt(h, o, v); }
// curl_sockaddr.addr is declared as `struct sockaddr` but holds `addrlen` bytes (a sockaddr_in6 for IPv6).
static inline const struct sockaddr *ccurl_sockaddr_address(const struct curl_sockaddr *a) { return &a->addr; }
static inline CURLcode ccurl_easy_setopt_off_t(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLMsg *ccurl_multi_info_read(CURLM *m, int *left) { return curl_multi_info_read(m, left); }

// The socket interface: libcurl says which sockets to watch and when its next timeout is due, and is
// told which sockets are ready, so each wake-up touches only the transfers that have something to do.
typedef int (*ccurl_socket_cb)(CURL *, curl_socket_t, int, void *, void *);
typedef int (*ccurl_timer_cb)(CURLM *, long, void *);
static inline CURLMcode ccurl_multi_setopt_socket_cb(CURLM *m, ccurl_socket_cb f, void *data) {
    CURLMcode r = curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, f);
    return r != CURLM_OK ? r : curl_multi_setopt(m, CURLMOPT_SOCKETDATA, data);
}
static inline CURLMcode ccurl_multi_setopt_timer_cb(CURLM *m, ccurl_timer_cb f, void *data) {
    CURLMcode r = curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, f);
    return r != CURLM_OK ? r : curl_multi_setopt(m, CURLMOPT_TIMERDATA, data);
}
static inline curl_socket_t ccurl_socket_timeout(void) { return CURL_SOCKET_TIMEOUT; }
#endif
