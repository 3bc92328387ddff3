/*
 * netref CLI: stored text made safe for a terminal.
 *
 * Names, keys, tags, notes and every other stored string come from CSV
 * files and other programs. Printed raw, an ESC or BEL in them would
 * retitle the terminal or clear the screen, a newline or carriage return
 * would forge a table row, and a bidi override would reorder what the
 * reader sees. Tables and plain-text messages therefore show such
 * characters as escapes, the way git quotes paths (quote.c,
 * quote_c_style); --json prints the exact text instead (jansson escapes
 * what JSON needs).
 *
 * The scheme, one rule per kind of character:
 *   \a \b \t \n \v \f \r \e   BEL, BS, TAB, LF, VT, FF, CR, ESC
 *   \xHH                      any other C0 control, DEL, and each byte
 *                             that is not part of valid UTF-8
 *   \uXXXX                    C1 controls (U+0080-U+009F), bidi controls
 *                             (U+061C, U+200E-U+200F, U+202A-U+202E,
 *                             U+2066-U+2069), line and paragraph
 *                             separators (U+2028, U+2029)
 *   \\                        a backslash, so that no text can pass for
 *                             an escape
 * Everything else, including all other non-ASCII text, is shown as is.
 * Every escape is printable ASCII and longer than what it replaces, so
 * escaped text has no control character and a table can measure it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "cli.h"

/* Room for the longest escape ("\u202E") and its NUL, with a margin
 * that lets the compiler see every %X fits. */
#define ESCAPE_BUF 16

/* The one-letter C escape of a C0 control, or 0 when it has none. */
static char c_escape_letter(utf8proc_int32_t cp)
{
    switch (cp) {
    case '\a': return 'a';
    case '\b': return 'b';
    case '\t': return 't';
    case '\n': return 'n';
    case '\v': return 'v';
    case '\f': return 'f';
    case '\r': return 'r';
    case 0x1B: return 'e';
    default: return 0;
    }
}

/* Code points beyond ASCII that steer a terminal or the reading order. */
static int is_hidden_control(utf8proc_int32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9F) ||     /* C1 controls (CSI, ...) */
           cp == 0x061C ||                   /* Arabic letter mark */
           cp == 0x200E || cp == 0x200F ||   /* LRM, RLM */
           (cp >= 0x202A && cp <= 0x202E) || /* embeddings, overrides */
           (cp >= 0x2066 && cp <= 0x2069) || /* isolates */
           cp == 0x2028 || cp == 0x2029;     /* line, paragraph sep. */
}

/*
 * Write the escape of the code point cp (or of the byte `byte` that is
 * not UTF-8, when cp < 0) into out (ESCAPE_BUF bytes); returns how
 * many characters it wrote, 0 when cp is shown as is.
 */
static int escape_one(utf8proc_int32_t cp, unsigned char byte, char *out)
{
    char letter;
    if (cp < 0)
        return snprintf(out, ESCAPE_BUF, "\\x%02X", byte);
    if (cp == '\\')
        return snprintf(out, ESCAPE_BUF, "\\\\");
    if (cp < 0x20 || cp == 0x7F) {
        letter = c_escape_letter(cp);
        return letter ? snprintf(out, ESCAPE_BUF, "\\%c", letter)
                      : snprintf(out, ESCAPE_BUF, "\\x%02X", (unsigned)cp);
    }
    if (is_hidden_control(cp))
        return snprintf(out, ESCAPE_BUF, "\\u%04X", (unsigned)cp);
    return 0;
}

/*
 * Escape s into out (when out is not NULL); returns the length of the
 * escaped text without its terminating NUL, which is also written.
 */
static size_t escape_into(const char *s, char *out)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t n = 0;
    while (*p) {
        utf8proc_int32_t cp;
        char esc[ESCAPE_BUF];
        utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
        int elen;
        if (len <= 0) { /* not UTF-8: show this one byte */
            cp = -1;
            len = 1;
        }
        elen = escape_one(cp, *p, esc);
        if (elen > 0) {
            if (out)
                memcpy(out + n, esc, (size_t)elen);
            n += (size_t)elen;
        } else {
            if (out)
                memcpy(out + n, p, (size_t)len);
            n += (size_t)len;
        }
        p += len;
    }
    if (out)
        out[n] = '\0';
    return n;
}

char *display_text(const char *s)
{
    size_t n;
    char *out;
    if (!s)
        return xstrdup("");
    n = escape_into(s, NULL);
    out = xrealloc(NULL, n + 1);
    escape_into(s, out);
    return out;
}

/* Escaped text is valid UTF-8 without controls (escape_into() turned
 * every byte that is not UTF-8 into \xHH), so each code point's width
 * is utf8proc's; a stray byte that is not UTF-8 (a heading, say, never
 * escaped) counts one column, as the escape it would become starts. */
size_t display_width(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
        int cw;
        if (len <= 0) {
            w++;
            p++;
            continue;
        }
        cw = utf8proc_charwidth(cp);
        w += cw > 0 ? (size_t)cw : 0;
        p += len;
    }
    return w;
}

/* ------------------------------------------------------------------ */
/* shown(): escaped text for one printf, freed when the command ends   */
/* ------------------------------------------------------------------ */

/* The CLI runs one command and exits, so the escaped copies made for
 * its messages are kept until then: call sites stay one printf each. */
static char **pool;
static size_t pool_count, pool_cap;

const char *shown(const char *s)
{
    char *d;
    if (!s)
        return "-";
    if (escape_into(s, NULL) == strlen(s))
        return s; /* every escape is longer than what it replaces */
    d = display_text(s);
    if (pool_count == pool_cap) {
        pool_cap = pool_cap ? 2 * pool_cap : 16;
        pool = xrealloc(pool, pool_cap * sizeof *pool);
    }
    pool[pool_count++] = d;
    return d;
}

void shown_release(void)
{
    size_t i;
    for (i = 0; i < pool_count; i++)
        free(pool[i]);
    free(pool);
    pool = NULL;
    pool_count = pool_cap = 0;
}
