/* Remote images with libcurl: https only unless told, bounded in time,
 * size and redirects, cached on disk by the URL's hash (fetch.h). */
#include "fetch.h"
#include "image.h"

#include <curl/curl.h>
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define FAIL(...)                                                              \
    do {                                                                       \
        snprintf(msg, msgsz, __VA_ARGS__);                                     \
        return -1;                                                             \
    } while (0)

/* libcurl is opened when the first image is fetched, not when folio
 * starts: it brings some thirty libraries (TLS, Kerberos, LDAP, ...) whose
 * loading cost every run about 5 ms and 6 MiB, fetching or not. */
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLU *(*url)(void);
    CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
    CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
    void (*url_cleanup)(CURLU *);
    void (*free)(void *);
} cu;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static char curl_error[160]; /* why libcurl could not start; "" when it did */

static void curl_load(void)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(curl_error, sizeof curl_error, "libcurl cannot start: %s",
                 dlerror());
        return;
    }
    /* dlsym's void * to a function pointer: POSIX guarantees it works. */
#define SYM(field, name)                                                       \
    do {                                                                       \
        void *f_ = dlsym(h, name);                                             \
        memcpy(&cu.field, &f_, sizeof f_);                                     \
        if (!f_) {                                                             \
            snprintf(curl_error, sizeof curl_error,                            \
                     "libcurl cannot start: no %s", name);                     \
            return;                                                            \
        }                                                                      \
    } while (0)
    SYM(global_init, "curl_global_init");
    SYM(easy_init, "curl_easy_init");
    SYM(easy_setopt, "curl_easy_setopt");
    SYM(easy_perform, "curl_easy_perform");
    SYM(easy_getinfo, "curl_easy_getinfo");
    SYM(easy_cleanup, "curl_easy_cleanup");
    SYM(easy_strerror, "curl_easy_strerror");
    SYM(url, "curl_url");
    SYM(url_set, "curl_url_set");
    SYM(url_get, "curl_url_get");
    SYM(url_cleanup, "curl_url_cleanup");
    SYM(free, "curl_free");
#undef SYM
    if (cu.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        snprintf(curl_error, sizeof curl_error, "libcurl cannot start");
}

/* 1 when url's host is a numeric loopback address: the only place plain
 * http may go even when allowed (tests serve images there), so the switch
 * can never send a fetch over the network unencrypted. */
static int loopback_host(const char *url)
{
    CURLU *u = cu.url();
    char *host = NULL;
    int yes = u && cu.url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              cu.url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
              (strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0);
    cu.free(host);
    cu.url_cleanup(u);
    return yes;
}

/* A fetch that began over plain http connects to loopback addresses only,
 * redirects included. */
static curl_socket_t loopback_socket(void *data, curlsocktype purpose,
                                     struct curl_sockaddr *a)
{
    (void)data, (void)purpose;
    int lo = 0;
    if (a->family == AF_INET) {
        const struct sockaddr_in *in = (const void *)&a->addr;
        lo = (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    } else if (a->family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)&a->addr;
        lo = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
    }
    return lo ? socket(a->family, a->socktype, a->protocol) : CURL_SOCKET_BAD;
}

char *folio_fetch_cache_dir(const folio_fetch_opts *opts)
{
    const char *base, *sub;
    if (opts && opts->cache_dir && *opts->cache_dir)
        return strdup(opts->cache_dir);
    const char *xdg = getenv("XDG_CACHE_HOME");
    if (xdg && xdg[0] == '/')
        base = xdg, sub = "/folio/images";
    else if ((base = getenv("HOME")) && base[0] == '/')
        sub = "/.cache/folio/images";
    else
        return NULL;
    size_t n = strlen(base) + strlen(sub) + 1;
    char *d = malloc(n);
    if (d) snprintf(d, n, "%s%s", base, sub);
    return d;
}

/* mkdir -p, the folders it creates private to the user. */
static int mkdirs(char *path)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p) continue;
        char c = *p;
        *p = 0;
        int r = mkdir(path, 0700);
        *p = c;
        if (r != 0 && errno != EEXIST) return -1;
        if (!c) break;
    }
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

struct sink {
    FILE *f;
    size_t got, max;
    int over;
};

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
    struct sink *s = user;
    size_t k = size * n;
    if (k > s->max - s->got) {
        s->over = 1;
        return 0; /* aborts the transfer */
    }
    s->got += k;
    return fwrite(p, 1, k, s->f);
}

int folio_fetch(const folio_fetch_opts *opts, const char *url, char **path,
                int *fetched, char *msg, size_t msgsz)
{
    folio_fetch_opts o = {0};
    if (opts) o = *opts;
    size_t max = o.max_bytes ? o.max_bytes : FOLIO_IMAGE_MAX_BYTES;
    long cto = o.connect_timeout_ms > 0 ? o.connect_timeout_ms : 10000;
    long to = o.timeout_ms > 0 ? o.timeout_ms : 30000;
    long redirs = o.max_redirects > 0   ? o.max_redirects
                  : o.max_redirects < 0 ? 0
                                        : 3;
    *path = NULL;
    if (fetched) *fetched = 0;
    if (msgsz) msg[0] = 0;
    int https = strncasecmp(url, "https://", 8) == 0;
    int http = strncasecmp(url, "http://", 7) == 0;
    if (!https && !http) FAIL("not an https: URL");
    if (http) {
        if (o.allow_http) pthread_once(&curl_once, curl_load);
        if (!o.allow_http || *curl_error || !loopback_host(url))
            FAIL("plain http: is not fetched (https only)");
    }

    char *dir = folio_fetch_cache_dir(&o);
    if (!dir) FAIL("no cache folder (set $XDG_CACHE_HOME or $HOME)");
    unsigned char h[32];
    folio_sha256(url, strlen(url), h);
    size_t dn = strlen(dir);
    char *file = malloc(dn + 1 + 64 + 1), *tmp = malloc(dn + 1 + 64 + 12);
    if (!file || !tmp) abort();
    int n = snprintf(file, dn + 66, "%s/", dir);
    for (int i = 0; i < 32; i++)
        n += snprintf(file + n, 3, "%02x", h[i]);
    struct stat st;
    if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (size_t)st.st_size <= max) {
        free(dir);
        free(tmp);
        *path = file;
        return 0;
    }
    if (mkdirs(dir) != 0) {
        snprintf(msg, msgsz, "cannot create the cache folder %s: %s", dir,
                 strerror(errno));
        free(dir), free(file), free(tmp);
        return -1;
    }
    free(dir);
    snprintf(tmp, dn + 1 + 64 + 12, "%s.tmpXXXXXX", file);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        snprintf(msg, msgsz, "cannot write to the cache: %s", strerror(errno));
        if (fd >= 0) close(fd), unlink(tmp);
        free(file), free(tmp);
        return -1;
    }

    pthread_once(&curl_once, curl_load);
    CURL *c = *curl_error ? NULL : cu.easy_init();
    if (!c) {
        fclose(f), unlink(tmp), free(file), free(tmp);
        FAIL("%s", *curl_error ? curl_error : "libcurl cannot start");
    }
    const char *protos = http ? "http,https" : "https";
    struct sink s = {.f = f, .max = max};
    char err[CURL_ERROR_SIZE] = "";
    cu.easy_setopt(c, CURLOPT_URL, url);
    cu.easy_setopt(c, CURLOPT_PROTOCOLS_STR, protos);
    cu.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protos);
    if (http) cu.easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, loopback_socket);
    cu.easy_setopt(c, CURLOPT_FOLLOWLOCATION, redirs > 0 ? 1L : 0L);
    cu.easy_setopt(c, CURLOPT_MAXREDIRS, redirs);
    cu.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cto);
    cu.easy_setopt(c, CURLOPT_TIMEOUT_MS, to);
    cu.easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM */
    cu.easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    cu.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    cu.easy_setopt(c, CURLOPT_USERAGENT, "folio/" FOLIO_VERSION);
    cu.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    cu.easy_setopt(c, CURLOPT_WRITEDATA, &s);
    cu.easy_setopt(c, CURLOPT_ERRORBUFFER, err);
    CURLcode rc = cu.easy_perform(c);
    long status = 0;
    cu.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    cu.easy_cleanup(c);
    int werr = fflush(f) != 0 || ferror(f);
    werr |= fclose(f) != 0;

    if (rc == CURLE_OK && status / 100 != 2) rc = CURLE_HTTP_RETURNED_ERROR;
    if (rc == CURLE_OK && !werr && s.got > 0 && rename(tmp, file) == 0) {
        free(tmp);
        *path = file;
        if (fetched) *fetched = 1;
        return 0;
    }
    unlink(tmp);
    free(tmp), free(file);
    if (s.over || rc == CURLE_FILESIZE_EXCEEDED)
        FAIL("larger than %zu bytes; not fetched", max);
    if (rc == CURLE_HTTP_RETURNED_ERROR) FAIL("HTTP status %ld", status);
    if (rc == CURLE_TOO_MANY_REDIRECTS) FAIL("more than %ld redirects", redirs);
    if (rc == CURLE_OPERATION_TIMEDOUT) FAIL("timed out (%s)", err);
    if (rc == CURLE_UNSUPPORTED_PROTOCOL)
        FAIL("redirected to a scheme other than %s", protos);
    if (rc == CURLE_OK && s.got == 0) FAIL("an empty response");
    if (rc == CURLE_OK) FAIL("cannot write to the cache");
    FAIL("%s", err[0] ? err : cu.easy_strerror(rc));
}
