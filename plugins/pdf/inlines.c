/* inlines.c - the IR's inline nodes as styled text of a paragraph:
 * emphasis, code, links, footnote marks, images' alt text, inline math
 * (math.c).  Calls layout.c, math.c, figure.c and tag.c (an inline
 * formula's TeX); called by render.c. */
#include "pdf.h"
#include "tag.h"

#include <stdio.h>
#include <string.h>

static uint32_t last_cp(const pdf_ctx *c, const folio_buf *b)
{
    if (!b->len) return 0;
    size_t i = b->len - 1;
    while (i > 0 && (b->data[i] & 0xC0) == 0x80)
        i--;
    uint32_t cp = 0;
    c->host->utf8_next(b->data + i, b->len - i, &cp);
    return cp;
}

void pdf_para_inlines(pdf_ctx *c, pdf_para *p, const folio_node *n)
{
    for (const folio_node *prev = NULL; n; prev = n, n = n->next) {
        pdf_style saved = p->cur;
        switch (n->type) {
        case FOLIO_NODE_TEXT:
            pdf_para_text(c, p, n->text, n->len);
            break;
        case FOLIO_NODE_MATH: { /* styled runs in the line (math.c) */
            size_t from = p->nspans;
            pdf_math_inline(c, p, n);
            pdf_tag_math(c, p, from, n->text, n->len);
            break;
        }
        case FOLIO_NODE_SOFTBREAK: {
            /* No space between two Han or kana characters. */
            uint32_t next = 0;
            if (n->next && n->next->type == FOLIO_NODE_TEXT && n->next->len)
                c->host->utf8_next(n->next->text, n->next->len, &next);
            if (!c->host->joins_lines(last_cp(c, &p->text), next))
                pdf_para_text(c, p, " ", 1);
            break;
        }
        case FOLIO_NODE_LINEBREAK:
            pdf_para_text(c, p, "\n", 1);
            break;
        case FOLIO_NODE_CODE:
            p->cur.role = ROLE_MONO;
            p->cur.size = saved.size * 0.92f;
            p->cur.rgb = p->cur.link >= 0 ? p->cur.rgb : 0x3a3a3au;
            pdf_para_text(c, p, n->text, n->len);
            break;
        case FOLIO_NODE_HTML_INLINE:
            /* Raw HTML is never trusted: an <img> is an image, the rest
             * its text (the host's html_text: <br> breaks, tags that are
             * not HTML such as "<Silence>" stay). */
            if (n->child) {
                pdf_para_inlines(c, p, n->child);
            } else {
                folio_buf t = {0};
                c->host->html_text(&t, n->text, n->len);
                if (t.len) pdf_para_text(c, p, t.data, t.len);
                c->host->buf_free(&t);
            }
            break;
        case FOLIO_NODE_EMPH:
            p->cur.italic = 1;
            pdf_para_inlines(c, p, n->child);
            break;
        case FOLIO_NODE_STRONG:
            if (p->cur.role == ROLE_REGULAR) p->cur.role = ROLE_BOLD;
            pdf_para_inlines(c, p, n->child);
            break;
        case FOLIO_NODE_STRIKETHROUGH:
            p->cur.strike = 1;
            pdf_para_inlines(c, p, n->child);
            break;
        case FOLIO_NODE_LINK:
        case FOLIO_NODE_IMAGE: {
            /* A figure is drawn after its paragraph; one not drawn shows
             * its alt text, and a remote one its URL too. */
            folio_image f;
            int irc = n->type == FOLIO_NODE_IMAGE ? pdf_image(c, n, &f) : 0;
            if (n->type == FOLIO_NODE_IMAGE && irc == FOLIO_IMAGE_OK &&
                c->figures_after && pdf_image_drawn(c, n))
                break;
            int l = pdf_para_link(p, c, n->u.link.url);
            if (l >= 0) {
                p->cur.link = l;
                p->cur.rgb = LINK_RGB;
            }
            if (n->type == FOLIO_NODE_IMAGE) {
                p->cur.italic = 1;
                pdf_para_text(c, p, "[", 1);
            }
            pdf_para_inlines(c, p, n->child);
            if (n->type == FOLIO_NODE_IMAGE) pdf_para_text(c, p, "]", 1);
            if (n->type == FOLIO_NODE_IMAGE && irc == FOLIO_IMAGE_REMOTE) {
                pdf_para_text(c, p, " ", 1);
                pdf_para_text(c, p, n->u.link.url, strlen(n->u.link.url));
            }
            break;
        }
        case FOLIO_NODE_FOOTNOTE_REF: {
            char num[16];
            int k = snprintf(num, sizeof num, "%d", n->u.footnote.number);
            p->cur.super = 1;
            p->cur.size = saved.size * 0.7f;
            /* Marks side by side read "2,3", not "23" (one Reference). */
            if (prev && prev->type == FOLIO_NODE_FOOTNOTE_REF)
                pdf_para_text(c, p, ",", 1);
            size_t at = p->text.len;
            pdf_para_text(c, p, num, (size_t)k);
            pdf_tag_reference(c, p, at);
            break;
        }
        case FOLIO_NODE_MARKUP: /* what a Liquid page variable prints */
            pdf_para_inlines(c, p, n->child);
            break;
        default:
            break;
        }
        p->cur = saved;
    }
}

/* Bold a list item's leading label ("Goal: ...", "目标：..."): a short run
 * of words ending in a colon before the text. */