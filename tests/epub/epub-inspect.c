/* epub-inspect - read an EPUB back for the tests, with libzip (unzip and
 * python may be missing where the tests run).
 *
 *   epub-inspect FILE           one line per member, in archive order:
 *                               "INDEX METHOD SIZE MTIME NAME", METHOD
 *                               being stored, deflate or other, MTIME in
 *                               seconds since 1970
 *   epub-inspect FILE MEMBER    the member's bytes on stdout
 *   epub-inspect --rss CMD...   run CMD, print its peak RSS in KiB (from
 *                               wait4, so no /usr/bin/time is needed)
 *
 * Exit status 0, or 1 with a message on stderr. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

static int rss(char **argv)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("epub-inspect: fork");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        perror("epub-inspect: exec");
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("epub-inspect: wait4");
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "epub-inspect: %s failed\n", argv[0]);
        return 1;
    }
    printf("%ld\n", ru.ru_maxrss);
    return 0;
}

static int list(zip_t *z)
{
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0) {
            fprintf(stderr, "epub-inspect: %s\n", zip_strerror(z));
            return 1;
        }
        const char *m = st.comp_method == ZIP_CM_STORE     ? "stored"
                        : st.comp_method == ZIP_CM_DEFLATE ? "deflate"
                                                           : "other";
        printf("%lld %s %llu %lld %s\n", (long long)i, m,
               (unsigned long long)st.size, (long long)st.mtime, st.name);
    }
    return 0;
}

static int cat(zip_t *z, const char *name)
{
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f) {
        fprintf(stderr, "epub-inspect: %s: %s\n", name, zip_strerror(z));
        return 1;
    }
    char buf[65536];
    zip_int64_t got;
    while ((got = zip_fread(f, buf, sizeof buf)) > 0)
        fwrite(buf, 1, (size_t)got, stdout);
    zip_fclose(f);
    if (got < 0) {
        fprintf(stderr, "epub-inspect: %s: read error\n", name);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && argv[1][0] == '-' && argv[1][1] == '-')
        return rss(argv + 2);
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: epub-inspect FILE [MEMBER] | --rss CMD...\n");
        return 1;
    }
    int err = 0;
    zip_t *z = zip_open(argv[1], ZIP_RDONLY | ZIP_CHECKCONS, &err);
    if (!z) {
        fprintf(stderr, "epub-inspect: %s: cannot open (libzip error %d)\n",
                argv[1], err);
        return 1;
    }
    int rc = argc == 2 ? list(z) : cat(z, argv[2]);
    zip_discard(z);
    return rc;
}
