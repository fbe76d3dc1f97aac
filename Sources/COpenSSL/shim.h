#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
// OpenSSL's libcrypto, which libcurl already links: HMAC-SHA256 for erasure tombstones, without building a
// second crypto library into the binary.
#include <openssl/evp.h>
#include <openssl/hmac.h>

/// HMAC-SHA256 of `data` under `key` into `out` (32 bytes); 1 on success.
static inline int copenssl_hmac_sha256(const unsigned char *key, int key_length, const unsigned char *data, size_t data_length,
                                       unsigned char *out) {
    unsigned int length = 0;
    return HMAC(EVP_sha256(), key, key_length, data, data_length, out, &length) != NULL && length == 32;
}
#endif
