/* folio formats and folio dump: what plugins there are, and the IR of
 * inputs. */
#include "inspect.h"

#include "loader.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_formats(int verbose)
{
    diags dg = {0};
    loaded_plugin *v;
    size_t n = plugin_list(&v, &dg);
    diags_print(&dg, 0);
    for (size_t i = 0; i < n; i++) {
        printf("%-6s %-52s %s\n", v[i].p->name, v[i].p->summary, v[i].path);
        for (const char *const *q = v[i].p->options; verbose && q && q[0];
             q += q[1] ? 2 : 1)
            printf("         -O %s.%s  %s\n", v[i].p->name, q[0],
                   q[1] ? q[1] : "");
        plugin_unload(&v[i]);
    }
    free(v);
    if (!n) fprintf(stderr, "folio: error: no plugins found\n");
    int status = n ? (dg.errors ? 1 : 0) : 1;
    diags_free(&dg);
    return status;
}

int cmd_dump(char **paths, size_t npaths, int positions)
{
    int status = 0;
    for (size_t i = 0; i < npaths; i++) {
        diags dg = {0};
        char *data;
        size_t len;
        folio_doc *doc = NULL;
        if (folio_read_input(paths[i], &data, &len, &dg) == 0) {
            doc = folio_parse(paths[i], data, len, &dg);
            free(data);
        }
        diags_print(&dg, 0);
        diags_free(&dg);
        if (!doc) {
            status = 1;
            continue;
        }
        folio_buf b = {0};
        ir_dump(&b, &doc->d, positions);
        fwrite(b.data, 1, b.len, stdout);
        buf_free(&b);
        folio_doc_free(doc);
    }
    return status;
}
