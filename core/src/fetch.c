/* Remote images with libcurl: https only unless told, bounded in time,
 * size and redirects, cached on disk by the URL's hash (fetch.h). */
#include "fetch.h"
#include "image.h"

#include <curl/curl.h>
#include <arpa/inet.h>
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

/* 1 when url's host is a numeric loopback address: the only place plain
 * http may go even when allowed (tests serve images there), so the switch
 * can never send a fetch over the network unencrypted. */
static int loopback_host(const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL;
    int yes = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
              (strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0);
    curl_free(host);
    curl_url_cleanup(u);
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

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
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
    if (!https && !(http && o.allow_http && loopback_host(url)))
        FAIL(http ? "plain http: is not fetched (https only)"
                  : "not an https: URL");

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

    pthread_once(&curl_once, curl_init);
    CURL *c = curl_init_rc == CURLE_OK ? curl_easy_init() : NULL;
    if (!c) {
        fclose(f), unlink(tmp), free(file), free(tmp);
        FAIL("libcurl cannot start");
    }
    const char *protos = http ? "http,https" : "https";
    struct sink s = {.f = f, .max = max};
    char err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protos);
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, protos);
    if (http) curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, loopback_socket);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, redirs > 0 ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, redirs);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cto);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, to);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM */
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "folio/" FOLIO_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
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
    FAIL("%s", err[0] ? err : curl_easy_strerror(rc));
}
