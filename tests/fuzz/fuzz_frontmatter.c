/* Fuzz target: the YAML front matter reader. */
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a = {0};
    diags dg = {0};
    const folio_yaml *root;
    frontmatter_parse(&a, (const char *)data, size, 2, "fuzz", &dg, &root);
    /* The date normaliser sees every scalar. */
    for (const folio_yaml *e = root ? root->child : NULL; e; e = e->next)
        if (e->kind == FOLIO_YAML_SCALAR) date_normalize(&a, e->value);
    diags_free(&dg);
    arena_free(&a);
    return 0;
}
