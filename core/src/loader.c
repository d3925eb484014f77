/* Finding and loading plugins: dlopen, one entry symbol, checked ABI.
 * Looked up beside the binary (../lib/folio from bin/, so the build tree
 * and any install prefix work), then in FOLIO_PLUGIN_PATH (absolute
 * directories only); never in the current directory. */
#include "loader.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <link.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int format_name_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 64) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

/* The directories to search, in order; a NULL-terminated malloc'd array. */
char **plugin_dirs(diags *dg)
{
    size_t n = 0;
    char **v = calloc(64, sizeof *v);
    if (!v) folio_oom();
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0; /* .../bin */
            slash = strrchr(exe, '/');
            if (slash) {
                *slash = 0; /* the prefix */
                folio_buf b = {0};
                buf_printf(&b, "%s/%s", exe, FOLIO_PLUGIN_RELDIR);
                v[n++] = buf_detach(&b);
            }
        }
    }
    const char *env = getenv("FOLIO_PLUGIN_PATH");
    if (env && *env) {
        char *copy = strdup(env), *save = NULL;
        for (char *d = strtok_r(copy, ":", &save); d && n < 63;
             d = strtok_r(NULL, ":", &save)) {
            if (d[0] != '/') {
                diag_add(dg, FOLIO_WARNING, "folio", 0, 0,
                         "FOLIO_PLUGIN_PATH: ignoring relative directory "
                         "'%s'",
                         d);
                continue;
            }
            v[n++] = strdup(d);
        }
        free(copy);
    }
    return v;
}

void plugin_dirs_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* The file's size against what its ELF headers say it holds: the
 * dynamic loader maps a truncated object and dies of SIGBUS touching the
 * missing pages.  Returns NULL or why the file is refused. */
static const char *elf_check(int fd, off_t size, char *msg, size_t cap)
{
    ElfW(Ehdr) eh;
    if (size < (off_t)sizeof eh || pread(fd, &eh, sizeof eh, 0) != sizeof eh)
        return "not an ELF shared object (too short)";
    if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
        return "not an ELF shared object";
    if (eh.e_ident[EI_CLASS] !=
            (__ELF_NATIVE_CLASS == 64 ? ELFCLASS64 : ELFCLASS32) ||
        eh.e_type != ET_DYN)
        return "not an ELF shared object of this machine's class";
    unsigned long long fsz = (unsigned long long)size;
    unsigned long long phend =
        eh.e_phoff + (unsigned long long)eh.e_phnum * eh.e_phentsize;
    unsigned long long shend =
        eh.e_shoff + (unsigned long long)eh.e_shnum * eh.e_shentsize;
    if (eh.e_phentsize != sizeof(ElfW(Phdr)) || eh.e_phnum == 0 ||
        phend > fsz || (eh.e_shnum && shend > fsz)) {
        snprintf(msg, cap,
                 "truncated or damaged: its headers reach past its %llu "
                 "bytes",
                 fsz);
        return msg;
    }
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        ElfW(Phdr) ph;
        if (pread(fd, &ph, sizeof ph,
                  (off_t)(eh.e_phoff + (unsigned long long)i * sizeof ph)) !=
            sizeof ph)
            return "cannot read its program headers";
        if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > fsz) {
            snprintf(msg, cap,
                     "truncated: a segment ends at byte %llu, the file has "
                     "%llu",
                     (unsigned long long)(ph.p_offset + ph.p_filesz), fsz);
            return msg;
        }
    }
    return NULL;
}

static int warned(const diags *dg, const char *path)
{
    for (size_t i = 0; i < dg->n; i++)
        if (strcmp(dg->v[i].path, path) == 0) return 1;
    return 0;
}

/* A group-writable file is safe when its group is its owner's private
 * group (one member, the owner), as OpenSSH's StrictModes allows. */
static int private_group(const struct stat *st)
{
    struct passwd pw, *pwp = NULL;
    struct group gr, *grp = NULL;
    char buf[16384];
    if (getpwuid_r(st->st_uid, &pw, buf, sizeof buf, &pwp) != 0 || !pwp ||
        pw.pw_gid != st->st_gid)
        return 0;
    char gbuf[16384];
    if (getgrgid_r(st->st_gid, &gr, gbuf, sizeof gbuf, &grp) != 0 || !grp)
        return 0;
    for (char **m = gr.gr_mem; m && *m; m++)
        if (strcmp(*m, pw.pw_name) != 0) return 0;
    return 1;
}

/* Why others could change this file or directory, or NULL. */
static const char *unsafe(const struct stat *st, char *msg, size_t cap)
{
    if (st->st_mode & S_IWOTH) return "writable by others";
    if ((st->st_mode & S_IWGRP) && !private_group(st))
        return "writable by its group";
    if (st->st_uid != 0 && st->st_uid != geteuid()) {
        snprintf(msg, cap, "owned by another user (uid %u)",
                 (unsigned)st->st_uid);
        return msg;
    }
    return NULL;
}

/* Like ssh with its keys: code that others may change is suspect. */
static void warn_writable(const char *path, diags *dg)
{
    char *dir = strdup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash) *slash = 0;
    struct stat st;
    char msg[64];
    const char *why;
    if (stat(path, &st) == 0 && (why = unsafe(&st, msg, sizeof msg)))
        diag_add(dg, FOLIO_WARNING, path, 0, 0, "plugin file is %s", why);
    if (slash && *dir && !warned(dg, dir) && stat(dir, &st) == 0 &&
        (why = unsafe(&st, msg, sizeof msg)))
        diag_add(dg, FOLIO_WARNING, dir, 0, 0, "plugin directory is %s", why);
    free(dir);
}

int plugin_load(const char *path, loaded_plugin *out, diags *dg)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char emsg[160];
    const char *bad = NULL;
    if (fd < 0 || fstat(fd, &st) != 0) {
        diag_add(dg, FOLIO_ERROR, path, 0, 0, "cannot load plugin: %s",
                 strerror(errno));
        if (fd >= 0) close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode))
        bad = "not a regular file";
    else
        bad = elf_check(fd, st.st_size, emsg, sizeof emsg);
    close(fd);
    if (bad) {
        diag_add(dg, FOLIO_ERROR, path, 0, 0, "plugin refused: %s", bad);
        return -1;
    }
    warn_writable(path, dg);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        diag_add(dg, FOLIO_ERROR, path, 0, 0, "cannot load plugin: %s",
                 dlerror());
        return -1;
    }
    const folio_plugin *(*entry)(void);
    *(void **)&entry = dlsym(h, FOLIO_PLUGIN_ENTRY);
    const char *why = NULL;
    const folio_plugin *p = NULL;
    char msg[160];
    if (!entry) {
        why = "not a folio plugin: no '" FOLIO_PLUGIN_ENTRY "' symbol";
    } else if (!(p = entry())) {
        why = "its entry returned no description";
    } else if (p->abi != FOLIO_PLUGIN_ABI) {
        snprintf(msg, sizeof msg,
                 "built for plugin ABI %u, this folio needs ABI %u", p->abi,
                 FOLIO_PLUGIN_ABI);
        why = msg;
    } else if (!FOLIO_PLUGIN_HAS(p, options)) {
        /* Every field of this ABI must be there; later ones are optional. */
        snprintf(msg, sizeof msg,
                 "its description is %zu bytes, this folio needs at least %zu "
                 "(set .size = sizeof(folio_plugin))",
                 p->size, offsetof(folio_plugin, options) + sizeof p->options);
        why = msg;
    } else if (!p->name || !p->name[0] || !p->extension || !p->write ||
               !p->summary) {
        why = "its description lacks a name, extension, summary or write";
    }
    if (why) {
        diag_add(dg, FOLIO_ERROR, path, 0, 0, "plugin refused: %s", why);
        dlclose(h);
        return -1;
    }
    out->handle = h;
    out->p = p;
    out->path = strdup(path);
    return 0;
}

void plugin_unload(loaded_plugin *lp)
{
    if (lp->p && lp->p->fini && lp->initialized) lp->p->fini(lp->state);
    if (lp->handle) dlclose(lp->handle);
    free(lp->path);
    memset(lp, 0, sizeof *lp);
}

/* Find <name>.so in the plugin directories. */
int plugin_find(const char *name, loaded_plugin *out, diags *dg)
{
    if (!format_name_ok(name)) return 1;
    char **dirs = plugin_dirs(dg);
    int rc = 1;
    for (size_t i = 0; dirs[i] && rc == 1; i++) {
        folio_buf b = {0};
        buf_printf(&b, "%s/%s.so", dirs[i], name);
        if (access(b.data, F_OK) == 0) {
            rc = plugin_load(b.data, out, dg);
            if (rc == 0 && strcmp(out->p->name, name) != 0) {
                diag_add(dg, FOLIO_ERROR, b.data, 0, 0,
                         "plugin refused: file is named '%s' but the plugin "
                         "calls itself '%s'",
                         name, out->p->name);
                plugin_unload(out);
                rc = -1;
            }
        }
        buf_free(&b);
    }
    plugin_dirs_free(dirs);
    return rc; /* 0 loaded, -1 refused, 1 not found */
}

/* Every plugin in every directory, first of a name wins. */
size_t plugin_list(loaded_plugin **out, diags *dg)
{
    char **dirs = plugin_dirs(dg);
    loaded_plugin *v = NULL;
    size_t n = 0;
    for (size_t i = 0; dirs[i]; i++) {
        size_t nn;
        char **names = list_dir(dirs[i], ".so", &nn);
        for (size_t k = 0; k < nn; k++) {
            folio_buf b = {0};
            buf_printf(&b, "%s/%s", dirs[i], names[k]);
            loaded_plugin lp;
            if (plugin_load(b.data, &lp, dg) == 0) {
                int dup = 0;
                for (size_t j = 0; j < n; j++)
                    dup |= strcmp(v[j].p->name, lp.p->name) == 0;
                if (dup) {
                    plugin_unload(&lp);
                } else {
                    v = realloc(v, (n + 1) * sizeof *v);
                    v[n++] = lp;
                }
            }
            buf_free(&b);
        }
        list_free(names, nn);
    }
    plugin_dirs_free(dirs);
    *out = v;
    return n;
}

/* The first plugin whose file extension is ext (-o book.lst). */
int plugin_find_ext(const char *ext, loaded_plugin *out, diags *dg)
{
    diags quiet = {0};
    loaded_plugin *v;
    size_t n = plugin_list(&v, &quiet);
    int rc = 1;
    for (size_t i = 0; i < n; i++) {
        if (rc == 1 && strcmp(v[i].p->extension, ext) == 0) {
            *out = v[i];
            rc = 0;
        } else {
            plugin_unload(&v[i]);
        }
    }
    free(v);
    (void)dg;
    diags_free(&quiet);
    return rc;
}
