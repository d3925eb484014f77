/* folio: the command line.  Only this file prints usage or exits. */
#include "check.h"
#include "config.h"
#include "convert.h"
#include "inspect.h"
#include "loader.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: folio convert [options] INPUT...\n"
    "       folio check [options] INPUT...\n"
    "       folio formats [-v]\n"
    "       folio dump [--positions] INPUT...\n"
    "\n"
    "Turns Markdown paper digests into EPUB, PDF, plain text and Markdown.\n"
    "INPUT is a file, a directory (its *.md files, sorted) or - (stdin);\n"
    "with no INPUT, stdin is read unless it is a terminal.\n"
    "\n"
    "convert options:\n"
    "  -t, --to LIST         formats to write: epub,pdf,txt,md\n"
    "                        (default: from the -o file's extension)\n"
    "  -o, --output FILE     bind all inputs into one book; - is stdout\n"
    "                        (the default when neither -o nor -d is given)\n"
    "  -d, --output-dir DIR  one output per input and format: DIR/NAME.EXT\n"
    "  -j, --jobs N          parallel work (default: number of cores)\n"
    "  -O PLUGIN.KEY=VALUE   plugin option, e.g. -O txt.width=80\n"
    "      --title TEXT      book title (default: derived from the digests)\n"
    "      --author TEXT     book author\n"
    "      --lang TAG        book language (BCP 47)\n"
    "  -u, --update          skip outputs newer than their inputs\n"
    "      --fail-fast       stop at the first input that fails\n"
    "      --report FILE     write a JSON report (- for stdout)\n"
    "      --resource-path DIR[:DIR...]\n"
    "                        also look for images in these folders\n"
    "      --fetch-images    fetch http(s) images (cached)\n"
    "      --image-cache DIR where fetched images are kept\n"
    "      --cover FILE      the book's cover image\n"
    "      --config FILE     read defaults from FILE (default: ./folio.yaml)\n"
    "  -q, --quiet           print errors only\n"
    "  -v, --verbose         say what is written\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n"
    "\n"
    "Exit status: 0 all converted; 1 some inputs failed (the rest were\n"
    "converted); 2 usage error.  Messages: path:line:col: error|warning: "
    "text\n";

static int usage(FILE *f, int status)
{
    fputs(usage_text, f);
    return status;
}

/* A closed standard descriptor would be taken by the next open(): the
 * report or a plugin's file would then receive what was meant for stdout.
 * Hold it with /dev/null opened read-only, so writes to it fail (and stdout
 * counts as lost, not as written). */
static void hold_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int n = open("/dev/null", O_RDONLY);
            if (n >= 0 && n != fd) close(n); /* a lower one was free */
        }
}

/* Whatever went through stdio to stdout must have arrived. */
static int close_stdout(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "folio: error: cannot write to standard output: %s\n",
                strerror(errno));
        return status ? status : 1;
    }
    return status;
}

enum {
    OPT_TITLE = 256,
    OPT_AUTHOR,
    OPT_LANG,
    OPT_FAIL_FAST,
    OPT_REPORT,
    OPT_CONFIG,
    OPT_VERSION,
    OPT_POSITIONS,
    OPT_RESOURCE_PATH,
    OPT_FETCH_IMAGES,
    OPT_IMAGE_CACHE,
    OPT_COVER
};

static const struct option longopts[] = {
    {"to", required_argument, NULL, 't'},
    {"output", required_argument, NULL, 'o'},
    {"output-dir", required_argument, NULL, 'd'},
    {"jobs", required_argument, NULL, 'j'},
    {"title", required_argument, NULL, OPT_TITLE},
    {"author", required_argument, NULL, OPT_AUTHOR},
    {"lang", required_argument, NULL, OPT_LANG},
    {"update", no_argument, NULL, 'u'},
    {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
    {"report", required_argument, NULL, OPT_REPORT},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"positions", no_argument, NULL, OPT_POSITIONS},
    {"resource-path", required_argument, NULL, OPT_RESOURCE_PATH},
    {"fetch-images", no_argument, NULL, OPT_FETCH_IMAGES},
    {"image-cache", required_argument, NULL, OPT_IMAGE_CACHE},
    {"cover", required_argument, NULL, OPT_COVER},
    {NULL, 0, NULL, 0}};

static int add_formats(run_opts *o, const char *list)
{
    char *s = strdup(list), *save = NULL;
    int rc = 0;
    if (!*s) rc = usage_error("-t wants a list of formats");
    for (char *t = strtok_r(s, ",", &save); t && !rc;
         t = strtok_r(NULL, ",", &save)) {
        if (!format_name_ok(t)) {
            rc = usage_error("-t: '%s' is not a format name (letters a-z, "
                             "digits and _ only)",
                             t);
            break;
        }
        int dup = 0;
        for (size_t i = 0; i < o->nformats; i++)
            dup |= strcmp(o->formats[i], t) == 0;
        if (dup) continue;
        o->formats = realloc(o->formats, (o->nformats + 1) * sizeof(char *));
        o->formats[o->nformats++] = strdup(t);
    }
    free(s);
    return rc;
}

static void free_formats(run_opts *o)
{
    for (size_t i = 0; i < o->nformats; i++)
        free(o->formats[i]);
    free(o->formats);
    o->formats = NULL;
    o->nformats = 0;
}

static int run(int argc, char **argv);

int main(int argc, char **argv)
{
    /* A file size limit (or a full disk) must fail a write, not kill us
     * before the temporary file is removed. */
    signal(SIGXFSZ, SIG_IGN);
    hold_std_fds();
    return close_stdout(run(argc, argv));
}

static int run(int argc, char **argv)
{
    if (argc < 2) return usage_error("no command given");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0)
        return usage(stdout, 0);
    if (strcmp(cmd, "--version") == 0) {
        printf("folio %s\n", FOLIO_VERSION);
        return 0;
    }
    if (strcmp(cmd, "formats") == 0) {
        int v = argc == 3 && (strcmp(argv[2], "-v") == 0 ||
                              strcmp(argv[2], "--verbose") == 0);
        return argc == 2 || v
                   ? cmd_formats(v)
                   : usage_error("formats takes only -v, not '%s'", argv[2]);
    }
    if (strcmp(cmd, "convert") && strcmp(cmd, "check") && strcmp(cmd, "dump"))
        return usage_error("unknown command '%s'", cmd);

    run_opts cli = {0};
    const char *config = NULL;
    int positions = 0, bad = 0;
    arena a = {0};
    optind = 2;
    opterr = 0; /* our own messages, in our own form */
    int c;
    while (!bad && (c = getopt_long(argc, argv, ":t:o:d:j:O:uqvh", longopts,
                                    NULL)) != -1) {
        switch (c) {
        case 't':
            if (add_formats(&cli, optarg)) bad = 2;
            break;
        case 'o':
            cli.output = optarg;
            break;
        case 'd':
            cli.outdir = optarg;
            break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || end == optarg || j < 1 || j > 1024)
                bad = usage_error("-j wants a number from 1 to 1024, not "
                                  "'%s'",
                                  optarg);
            cli.jobs = (int)j;
            break;
        }
        case 'O': {
            const char *eq = strchr(optarg, '=');
            const char *dot = strchr(optarg, '.');
            if (!eq || !dot || dot > eq || dot == optarg || dot + 1 == eq) {
                bad =
                    usage_error("-O wants PLUGIN.KEY=VALUE, not '%s'", optarg);
                break;
            }
            cli.options =
                realloc(cli.options, (cli.noptions + 1) * sizeof *cli.options);
            option_kv *kv = &cli.options[cli.noptions++];
            kv->plugin = arena_strndup(&a, optarg, (size_t)(dot - optarg));
            kv->key = arena_strndup(&a, dot + 1, (size_t)(eq - dot - 1));
            kv->value = arena_strdup(&a, eq + 1);
            kv->known = 0;
            break;
        }
        case OPT_TITLE:
            cli.title = optarg;
            break;
        case OPT_AUTHOR:
            cli.author = optarg;
            break;
        case OPT_LANG:
            cli.lang = optarg;
            break;
        case 'u':
            cli.update = 1;
            break;
        case OPT_FAIL_FAST:
            cli.fail_fast = 1;
            break;
        case OPT_REPORT:
            cli.report = optarg;
            break;
        case OPT_CONFIG:
            config = optarg;
            break;
        case OPT_RESOURCE_PATH:
            cli.resource_path = optarg;
            break;
        case OPT_FETCH_IMAGES:
            cli.fetch_images = 1;
            break;
        case OPT_IMAGE_CACHE:
            cli.image_cache = optarg;
            break;
        case OPT_COVER:
            cli.cover = optarg;
            break;
        case 'q':
            cli.quiet = 1;
            break;
        case 'v':
            cli.verbose = 1;
            break;
        case OPT_POSITIONS:
            positions = 1;
            break;
        case 'h':
            free(cli.options);
            free_formats(&cli);
            arena_free(&a);
            return usage(stdout, 0);
        case ':':
            bad = usage_error("option '%s' wants a value", argv[optind - 1]);
            break;
        default:
            if (optopt)
                bad = usage_error("unknown option '-%c'", optopt);
            else
                bad = usage_error("unknown option '%s'", argv[optind - 1]);
            break;
        }
    }
    char **inputs = argv + optind;
    size_t ninputs = (size_t)(argc - optind);
    /* No inputs: standard input, unless it is a terminal (as cmark and
     * pandoc do). */
    static char *stdin_only[] = {"-", NULL};
    if (!bad && !ninputs && !isatty(0)) {
        inputs = stdin_only;
        ninputs = 1;
    }
    int status;
    if (bad) {
        status = 2;
    } else if (!ninputs) {
        status = usage_error("no input files (standard input is a terminal)");
    } else if (strcmp(cmd, "dump") == 0) {
        status = cmd_dump(inputs, ninputs, positions);
    } else {
        /* folio.yaml gives defaults; the command line wins. */
        run_opts o = {0};
        diags dg = {0};
        int cfg = config_load(config ? config : "folio.yaml", config != NULL,
                              &o, &a, &dg);
        diags_print(&dg, cli.quiet);
        diags_free(&dg);
        if (cfg != 0) {
            status = 2;
        } else {
            if (cli.nformats) {
                free_formats(&o);
                o.formats = cli.formats;
                o.nformats = cli.nformats;
                cli.formats = NULL;
                cli.nformats = 0;
            }
            if (cli.output || cli.outdir) {
                o.output = cli.output;
                o.outdir = cli.outdir;
            }
            if (cli.jobs) o.jobs = cli.jobs;
            for (size_t i = 0; i < cli.noptions; i++) {
                o.options =
                    realloc(o.options, (o.noptions + 1) * sizeof *o.options);
                o.options[o.noptions++] = cli.options[i];
            }
            if (cli.title) o.title = cli.title;
            if (cli.author) o.author = cli.author;
            if (cli.lang) o.lang = cli.lang;
            o.update = cli.update;
            o.fail_fast = cli.fail_fast;
            o.report = cli.report;
            if (cli.resource_path) o.resource_path = cli.resource_path;
            if (cli.fetch_images) o.fetch_images = 1;
            if (cli.image_cache) o.image_cache = cli.image_cache;
            if (cli.cover) o.cover = cli.cover;
            o.quiet = cli.quiet;
            o.verbose = cli.verbose;
            o.progress =
                !o.quiet && !o.verbose && isatty(2) && getenv("CI") == NULL;
            if (strcmp(cmd, "convert") == 0) out_guard_start();
            status = strcmp(cmd, "check") == 0
                         ? cmd_check(&o, inputs, ninputs)
                         : cmd_convert(&o, inputs, ninputs);
            out_guard_stop();
        }
        free(o.options);
        free_formats(&o);
    }
    free(cli.options);
    free_formats(&cli);
    arena_free(&a);
    return status;
}
