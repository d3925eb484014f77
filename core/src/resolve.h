/* Finding the file an image reference in a post names, without leaving
 * the post's folder, its site root or the resource paths. */
#ifndef FOLIO_RESOLVE_H
#define FOLIO_RESOLVE_H

#include <stddef.h>

enum {
    FOLIO_REF_ERROR = -1, /* refused or not found: msg says why */
    FOLIO_REF_LOCAL = 0,  /* a file: *out is its real path */
    FOLIO_REF_REMOTE = 1  /* an http(s) URL: *out is the URL */
};

/* Normalise a reference as written: surrounding spaces and <...> dropped,
 * Liquid forms reduced to their path ({{ '/x' | relative_url }},
 * {{ "/x" | absolute_url }}, {{ site.baseurl }}, {{ site.url }},
 * {% link x %}); for a local path the query and fragment are stripped and
 * %XX escapes decoded.  "//host/x" is https://host/x.  Returns LOCAL or
 * REMOTE with a malloc'd *out, or ERROR (another scheme such as data: or
 * file:, Liquid not understood, an empty or NUL-containing path). */
int folio_ref_normalize(const char *ref, char **out, char *msg, size_t msgsz);

/* The site root of a post: the parent of the nearest ancestor folder named
 * _posts, as a malloc'd real path, or NULL. */
char *folio_site_root(const char *post_path);

/* Resolve ref for the post at post_path.  A relative path is looked up in
 * the post's folder, then the site root, then each resource path; a
 * site-absolute one (/assets/x.png) in the site root, then each resource
 * path.  resource_path is "DIR[:DIR...]" or NULL.  The first existing
 * candidate wins; after realpath() it must lie inside one of those folders
 * and be a regular file.  Returns LOCAL (*out = malloc'd real path),
 * REMOTE (*out = malloc'd URL) or ERROR (msg). */
int folio_ref_resolve(const char *post_path, const char *ref,
                      const char *resource_path, char **out, char *msg,
                      size_t msgsz);

/* Jekyll expands Liquid before Markdown, so "![a]({{ '/x.png' |
 * relative_url }})" is an image there but not for cmark (the destination
 * holds spaces).  Return a copy of a post's body with the Liquid forms
 * folio_ref_normalize() understands replaced by their path:
 * {{ 'X' | relative_url }} (absolute_url, prepend: site.baseurl) by X,
 * {% link X %} by /X, {{ site.baseurl }} by nothing, and {{ site.url }} by
 * nothing when a path follows ('/' or {{ site.baseurl }}).  Fenced code
 * blocks and code spans are left alone, and so is any other Liquid.  Lines
 * keep their numbers (only columns after a replacement move).  Returns
 * NULL when nothing changed, else a malloc'd, NUL-terminated copy and its
 * length in *outlen.  When edits is not NULL, *edits (malloc'd, *nedits
 * entries, in order) says where each replacement went, so the parser can
 * give back a destination as written (the md output keeps it). */
typedef struct folio_liquid_edit {
    size_t out_off, out_len; /* the replacement in the copy */
    size_t in_off, in_len;   /* the Liquid expression in text */
} folio_liquid_edit;
char *folio_liquid_paths(const char *text, size_t len, size_t *outlen,
                         folio_liquid_edit **edits, size_t *nedits);

/* The first <img> tag of an HTML fragment: its src and alt attributes
 * (entities &amp; &lt; &gt; &quot; &apos; &#N; &#xN; decoded), each
 * malloc'd (alt "" when absent).  Returns 1 when an <img> with a src was
 * found, else 0 (*src and *alt NULL).  *end (if not NULL) is set to the
 * offset just past the tag, to look for the next one. */
int folio_html_img(const char *html, size_t len, char **src, char **alt,
                   size_t *end);

#endif
