/* TeX math -> folio_math tree.  A recursive-descent reader over the
 * source: every byte is looked at a bounded number of times (linear), the
 * nesting depth is capped, and whatever cannot be read becomes an ERROR
 * node holding its source, so nothing is dropped and nothing crashes. */
#include "tex.h"

#include <stdlib.h>
#include <string.h>

/* Command kinds and symbol classes of the table below. */
enum {
    C_NONE,
    C_I,  /* identifier (italic letter) */
    C_N,  /* upright identifier */
    C_O,  /* ordinary operator */
    C_B,  /* binary */
    C_R,  /* relation */
    C_OP, /* opening fence */
    C_CL, /* closing fence */
    C_P,  /* punctuation */
    C_L,  /* big operator, limits in display */
    C_LI, /* big operator, limits at the side (integrals) */
    C_F,  /* function name */
    C_FL  /* function name with limits (lim, max) */
};
enum {
    K_SYM,
    K_FUNC,
    K_BIGOP,
    K_FONT,
    K_TEXT,
    K_SWITCH,
    K_ACCENT,
    K_FRAC,
    K_BINOM,
    K_SQRT,
    K_LEFT,
    K_RIGHT,
    K_MIDDLE,
    K_BIG,
    K_SPACE,
    K_BEGIN,
    K_END,
    K_NOT,
    K_OVERSET,
    K_UNDERSET,
    K_OPNAME,
    K_MATHOP,
    K_MATHCLASS,
    K_LIMITS,
    K_NOLIMITS,
    K_IGNORE,
    K_COLOR,
    K_TEXTCOLOR,
    K_SKIPARG,
    K_TAG,
    K_STYLE,
    K_OVER,
    K_PMOD,
    K_BMOD,
    K_MOD,
    K_SUBSTACK,
    K_BOXED,
    K_PHANTOM,
    K_HSPACE,
    K_XARROW,
    K_NEWLINE
};

typedef struct cmd {
    const char *name;
    unsigned char kind, cls;
    signed char arg; /* variant, size, mu, accent bits (see K_*) */
    const char *u;   /* UTF-8 symbol or text */
} cmd;

/* Sorted by strcmp (tex_table_sorted checks it); binary search. */
static const cmd cmds[] = {
    {" ", K_SPACE, C_NONE, 5, NULL},
    {"!", K_SPACE, C_NONE, -3, NULL},
    {"#", K_SYM, C_N, 0, "#"},
    {"$", K_SYM, C_N, 0, "$"},
    {"%", K_SYM, C_N, 0, "%"},
    {"&", K_SYM, C_O, 0, "&"},
    {",", K_SPACE, C_NONE, 3, NULL},
    {":", K_SPACE, C_NONE, 4, NULL},
    {";", K_SPACE, C_NONE, 5, NULL},
    {">", K_SPACE, C_NONE, 4, NULL},
    {"Arg", K_FUNC, C_F, 0, "Arg"},
    {"Bbb", K_FONT, C_NONE, 5, NULL},
    {"Big", K_BIG, C_O, 2, NULL},
    {"Bigg", K_BIG, C_O, 4, NULL},
    {"Biggl", K_BIG, C_OP, 4, NULL},
    {"Biggm", K_BIG, C_R, 4, NULL},
    {"Biggr", K_BIG, C_CL, 4, NULL},
    {"Bigl", K_BIG, C_OP, 2, NULL},
    {"Bigm", K_BIG, C_R, 2, NULL},
    {"Bigr", K_BIG, C_CL, 2, NULL},
    {"Box", K_SYM, C_N, 0, "□"},
    {"Delta", K_SYM, C_N, 0, "Δ"},
    {"Diamond", K_SYM, C_N, 0, "◇"},
    {"Downarrow", K_SYM, C_R, 0, "⇓"},
    {"Gamma", K_SYM, C_N, 0, "Γ"},
    {"Im", K_SYM, C_N, 0, "ℑ"},
    {"Join", K_SYM, C_R, 0, "⨝"},
    {"Lambda", K_SYM, C_N, 0, "Λ"},
    {"Leftarrow", K_SYM, C_R, 0, "⇐"},
    {"Leftrightarrow", K_SYM, C_R, 0, "⇔"},
    {"Longleftarrow", K_SYM, C_R, 0, "⟸"},
    {"Longleftrightarrow", K_SYM, C_R, 0, "⟺"},
    {"Longrightarrow", K_SYM, C_R, 0, "⟹"},
    {"Lsh", K_SYM, C_R, 0, "↰"},
    {"Omega", K_SYM, C_N, 0, "Ω"},
    {"P", K_SYM, C_N, 0, "¶"},
    {"Phi", K_SYM, C_N, 0, "Φ"},
    {"Pi", K_SYM, C_N, 0, "Π"},
    {"Pr", K_FUNC, C_FL, 0, "Pr"},
    {"Psi", K_SYM, C_N, 0, "Ψ"},
    {"Re", K_SYM, C_N, 0, "ℜ"},
    {"Rightarrow", K_SYM, C_R, 0, "⇒"},
    {"Rsh", K_SYM, C_R, 0, "↱"},
    {"S", K_SYM, C_N, 0, "§"},
    {"Sigma", K_SYM, C_N, 0, "Σ"},
    {"Subset", K_SYM, C_R, 0, "⋐"},
    {"Supset", K_SYM, C_R, 0, "⋑"},
    {"Theta", K_SYM, C_N, 0, "Θ"},
    {"Uparrow", K_SYM, C_R, 0, "⇑"},
    {"Updownarrow", K_SYM, C_R, 0, "⇕"},
    {"Upsilon", K_SYM, C_N, 0, "Υ"},
    {"Vdash", K_SYM, C_R, 0, "⊩"},
    {"Vert", K_SYM, C_O, 0, "‖"},
    {"Xi", K_SYM, C_N, 0, "Ξ"},
    {"\\", K_NEWLINE, C_NONE, 0, NULL},
    {"_", K_SYM, C_N, 0, "_"},
    {"acute", K_ACCENT, C_NONE, 0, "´"},
    {"aleph", K_SYM, C_N, 0, "ℵ"},
    {"allowbreak", K_IGNORE, C_NONE, 0, NULL},
    {"alpha", K_SYM, C_I, 0, "α"},
    {"amalg", K_SYM, C_B, 0, "⨿"},
    {"angle", K_SYM, C_N, 0, "∠"},
    {"approx", K_SYM, C_R, 0, "≈"},
    {"approxeq", K_SYM, C_R, 0, "≊"},
    {"arccos", K_FUNC, C_F, 0, "arccos"},
    {"arcsin", K_FUNC, C_F, 0, "arcsin"},
    {"arctan", K_FUNC, C_F, 0, "arctan"},
    {"arg", K_FUNC, C_F, 0, "arg"},
    {"argmax", K_FUNC, C_FL, 0, "arg max"},
    {"argmin", K_FUNC, C_FL, 0, "arg min"},
    {"ast", K_SYM, C_B, 0, "∗"},
    {"asymp", K_SYM, C_R, 0, "≍"},
    {"atop", K_OVER, C_NONE, 2, NULL},
    {"backprime", K_SYM, C_O, 0, "‵"},
    {"backsim", K_SYM, C_R, 0, "∽"},
    {"backslash", K_SYM, C_O, 0, "\\"},
    {"bar", K_ACCENT, C_NONE, 0, "‾"},
    {"because", K_SYM, C_R, 0, "∵"},
    {"begin", K_BEGIN, C_NONE, 0, NULL},
    {"beta", K_SYM, C_I, 0, "β"},
    {"beth", K_SYM, C_N, 0, "ℶ"},
    {"between", K_SYM, C_R, 0, "≬"},
    {"bf", K_SWITCH, C_NONE, 2, NULL},
    {"big", K_BIG, C_O, 1, NULL},
    {"bigcap", K_BIGOP, C_L, 0, "⋂"},
    {"bigcup", K_BIGOP, C_L, 0, "⋃"},
    {"bigg", K_BIG, C_O, 3, NULL},
    {"biggl", K_BIG, C_OP, 3, NULL},
    {"biggm", K_BIG, C_R, 3, NULL},
    {"biggr", K_BIG, C_CL, 3, NULL},
    {"bigl", K_BIG, C_OP, 1, NULL},
    {"bigm", K_BIG, C_R, 1, NULL},
    {"bigodot", K_BIGOP, C_L, 0, "⨀"},
    {"bigoplus", K_BIGOP, C_L, 0, "⨁"},
    {"bigotimes", K_BIGOP, C_L, 0, "⨂"},
    {"bigr", K_BIG, C_CL, 1, NULL},
    {"bigsqcup", K_BIGOP, C_L, 0, "⨆"},
    {"bigstar", K_SYM, C_N, 0, "★"},
    {"bigtriangledown", K_SYM, C_B, 0, "▽"},
    {"bigtriangleup", K_SYM, C_B, 0, "△"},
    {"biguplus", K_BIGOP, C_L, 0, "⨄"},
    {"bigvee", K_BIGOP, C_L, 0, "⋁"},
    {"bigwedge", K_BIGOP, C_L, 0, "⋀"},
    {"binom", K_BINOM, C_NONE, 0, NULL},
    {"blacksquare", K_SYM, C_N, 0, "■"},
    {"blacktriangle", K_SYM, C_N, 0, "▲"},
    {"bm", K_FONT, C_NONE, 4, NULL},
    {"bmod", K_BMOD, C_NONE, 0, NULL},
    {"boldsymbol", K_FONT, C_NONE, 4, NULL},
    {"bot", K_SYM, C_N, 0, "⊥"},
    {"bowtie", K_SYM, C_R, 0, "⋈"},
    {"boxdot", K_SYM, C_B, 0, "⊡"},
    {"boxed", K_BOXED, C_NONE, 0, NULL},
    {"boxminus", K_SYM, C_B, 0, "⊟"},
    {"boxplus", K_SYM, C_B, 0, "⊞"},
    {"boxtimes", K_SYM, C_B, 0, "⊠"},
    {"breve", K_ACCENT, C_NONE, 0, "˘"},
    {"bullet", K_SYM, C_B, 0, "∙"},
    {"cal", K_SWITCH, C_NONE, 6, NULL},
    {"cap", K_SYM, C_B, 0, "∩"},
    {"cdot", K_SYM, C_B, 0, "⋅"},
    {"cdotp", K_SYM, C_P, 0, "⋅"},
    {"cdots", K_SYM, C_O, 0, "⋯"},
    {"cfrac", K_FRAC, C_NONE, 1, NULL},
    {"check", K_ACCENT, C_NONE, 0, "ˇ"},
    {"checkmark", K_SYM, C_N, 0, "✓"},
    {"chi", K_SYM, C_I, 0, "χ"},
    {"choose", K_OVER, C_NONE, 1, NULL},
    {"circ", K_SYM, C_B, 0, "∘"},
    {"circlearrowleft", K_SYM, C_R, 0, "↺"},
    {"circlearrowright", K_SYM, C_R, 0, "↻"},
    {"circledast", K_SYM, C_B, 0, "⊛"},
    {"circledcirc", K_SYM, C_B, 0, "⊚"},
    {"clap", K_MATHCLASS, C_O, 0, NULL},
    {"cline", K_SKIPARG, C_NONE, 0, NULL},
    {"clubsuit", K_SYM, C_N, 0, "♣"},
    {"colon", K_SYM, C_P, 0, ":"},
    {"coloneq", K_SYM, C_R, 0, "≔"},
    {"coloneqq", K_SYM, C_R, 0, "≔"},
    {"color", K_COLOR, C_NONE, 0, NULL},
    {"colorbox", K_TEXTCOLOR, C_NONE, 1, NULL},
    {"complement", K_SYM, C_N, 0, "∁"},
    {"cong", K_SYM, C_R, 0, "≅"},
    {"coprod", K_BIGOP, C_L, 0, "∐"},
    {"copyright", K_SYM, C_N, 0, "©"},
    {"cos", K_FUNC, C_F, 0, "cos"},
    {"cosh", K_FUNC, C_F, 0, "cosh"},
    {"cot", K_FUNC, C_F, 0, "cot"},
    {"coth", K_FUNC, C_F, 0, "coth"},
    {"cr", K_NEWLINE, C_NONE, 0, NULL},
    {"csc", K_FUNC, C_F, 0, "csc"},
    {"cup", K_SYM, C_B, 0, "∪"},
    {"curvearrowleft", K_SYM, C_R, 0, "↶"},
    {"curvearrowright", K_SYM, C_R, 0, "↷"},
    {"dagger", K_SYM, C_B, 0, "†"},
    {"dashleftarrow", K_SYM, C_R, 0, "⇠"},
    {"dashrightarrow", K_SYM, C_R, 0, "⇢"},
    {"dashv", K_SYM, C_R, 0, "⊣"},
    {"dbinom", K_BINOM, C_NONE, 1, NULL},
    {"ddagger", K_SYM, C_B, 0, "‡"},
    {"dddot", K_ACCENT, C_NONE, 0, "⃛"},
    {"ddot", K_ACCENT, C_NONE, 0, "¨"},
    {"ddots", K_SYM, C_O, 0, "⋱"},
    {"deg", K_FUNC, C_F, 0, "deg"},
    {"degree", K_SYM, C_N, 0, "°"},
    {"delta", K_SYM, C_I, 0, "δ"},
    {"det", K_FUNC, C_FL, 0, "det"},
    {"dfrac", K_FRAC, C_NONE, 1, NULL},
    {"diamond", K_SYM, C_B, 0, "⋄"},
    {"diamondsuit", K_SYM, C_N, 0, "♢"},
    {"digamma", K_SYM, C_I, 0, "ϝ"},
    {"dim", K_FUNC, C_F, 0, "dim"},
    {"displaylimits", K_IGNORE, C_NONE, 0, NULL},
    {"displaystyle", K_STYLE, C_NONE, 1, NULL},
    {"div", K_SYM, C_B, 0, "÷"},
    {"dot", K_ACCENT, C_NONE, 0, "˙"},
    {"doteq", K_SYM, C_R, 0, "≐"},
    {"dots", K_SYM, C_O, 0, "…"},
    {"dotsb", K_SYM, C_O, 0, "⋯"},
    {"dotsc", K_SYM, C_O, 0, "…"},
    {"dotsi", K_SYM, C_O, 0, "⋯"},
    {"dotsm", K_SYM, C_O, 0, "⋯"},
    {"dotso", K_SYM, C_O, 0, "…"},
    {"downarrow", K_SYM, C_R, 0, "↓"},
    {"downdownarrows", K_SYM, C_R, 0, "⇊"},
    {"ell", K_SYM, C_N, 0, "ℓ"},
    {"emph", K_TEXT, C_NONE, 3, NULL},
    {"emptyset", K_SYM, C_N, 0, "∅"},
    {"end", K_END, C_NONE, 0, NULL},
    {"enspace", K_SPACE, C_NONE, 9, NULL},
    {"epsilon", K_SYM, C_I, 0, "ϵ"},
    {"eqqcolon", K_SYM, C_R, 0, "≕"},
    {"eqsim", K_SYM, C_R, 0, "≂"},
    {"equiv", K_SYM, C_R, 0, "≡"},
    {"eta", K_SYM, C_I, 0, "η"},
    {"eth", K_SYM, C_N, 0, "ð"},
    {"exists", K_SYM, C_N, 0, "∃"},
    {"exp", K_FUNC, C_F, 0, "exp"},
    {"flat", K_SYM, C_N, 0, "♭"},
    {"forall", K_SYM, C_N, 0, "∀"},
    {"frac", K_FRAC, C_NONE, 0, NULL},
    {"frown", K_SYM, C_R, 0, "⌢"},
    {"gamma", K_SYM, C_I, 0, "γ"},
    {"gcd", K_FUNC, C_FL, 0, "gcd"},
    {"ge", K_SYM, C_R, 0, "≥"},
    {"geq", K_SYM, C_R, 0, "≥"},
    {"geqq", K_SYM, C_R, 0, "≧"},
    {"geqslant", K_SYM, C_R, 0, "⩾"},
    {"gets", K_SYM, C_R, 0, "←"},
    {"gg", K_SYM, C_R, 0, "≫"},
    {"ggg", K_SYM, C_R, 0, "⋙"},
    {"gimel", K_SYM, C_N, 0, "ℷ"},
    {"gneq", K_SYM, C_R, 0, "⪈"},
    {"gneqq", K_SYM, C_R, 0, "≩"},
    {"grave", K_ACCENT, C_NONE, 0, "`"},
    {"gt", K_SYM, C_R, 0, ">"},
    {"gtrapprox", K_SYM, C_R, 0, "⪆"},
    {"gtrless", K_SYM, C_R, 0, "≷"},
    {"gtrsim", K_SYM, C_R, 0, "≳"},
    {"hat", K_ACCENT, C_NONE, 0, "^"},
    {"hbar", K_SYM, C_N, 0, "ℏ"},
    {"hbox", K_TEXT, C_NONE, 0, NULL},
    {"hdashline", K_IGNORE, C_NONE, 0, NULL},
    {"heartsuit", K_SYM, C_N, 0, "♡"},
    {"hfill", K_SPACE, C_NONE, 18, NULL},
    {"hline", K_IGNORE, C_NONE, 0, NULL},
    {"hom", K_FUNC, C_F, 0, "hom"},
    {"hookleftarrow", K_SYM, C_R, 0, "↩"},
    {"hookrightarrow", K_SYM, C_R, 0, "↪"},
    {"hphantom", K_PHANTOM, C_NONE, 0, NULL},
    {"hskip", K_HSPACE, C_NONE, 1, NULL},
    {"hslash", K_SYM, C_N, 0, "ℏ"},
    {"hspace", K_HSPACE, C_NONE, 0, NULL},
    {"iddots", K_SYM, C_O, 0, "⋰"},
    {"iff", K_SYM, C_R, 0, "⟺"},
    {"iiiint", K_BIGOP, C_LI, 0, "⨌"},
    {"iiint", K_BIGOP, C_LI, 0, "∭"},
    {"iint", K_BIGOP, C_LI, 0, "∬"},
    {"imath", K_SYM, C_I, 0, "ı"},
    {"impliedby", K_SYM, C_R, 0, "⟸"},
    {"implies", K_SYM, C_R, 0, "⟹"},
    {"in", K_SYM, C_R, 0, "∈"},
    {"inf", K_FUNC, C_FL, 0, "inf"},
    {"infty", K_SYM, C_N, 0, "∞"},
    {"int", K_BIGOP, C_LI, 0, "∫"},
    {"intercal", K_SYM, C_B, 0, "⊺"},
    {"intop", K_BIGOP, C_LI, 0, "∫"},
    {"iota", K_SYM, C_I, 0, "ι"},
    {"it", K_SWITCH, C_NONE, 3, NULL},
    {"jmath", K_SYM, C_I, 0, "ȷ"},
    {"kappa", K_SYM, C_I, 0, "κ"},
    {"ker", K_FUNC, C_F, 0, "ker"},
    {"kern", K_HSPACE, C_NONE, 1, NULL},
    {"lVert", K_SYM, C_OP, 0, "‖"},
    {"label", K_SKIPARG, C_NONE, 0, NULL},
    {"lambda", K_SYM, C_I, 0, "λ"},
    {"land", K_SYM, C_B, 0, "∧"},
    {"langle", K_SYM, C_OP, 0, "⟨"},
    {"lbrace", K_SYM, C_OP, 0, "{"},
    {"lbrack", K_SYM, C_OP, 0, "["},
    {"lceil", K_SYM, C_OP, 0, "⌈"},
    {"ldotp", K_SYM, C_P, 0, "."},
    {"ldots", K_SYM, C_O, 0, "…"},
    {"le", K_SYM, C_R, 0, "≤"},
    {"leadsto", K_SYM, C_R, 0, "⇝"},
    {"left", K_LEFT, C_NONE, 0, NULL},
    {"leftarrow", K_SYM, C_R, 0, "←"},
    {"leftarrowtail", K_SYM, C_R, 0, "↢"},
    {"leftharpoondown", K_SYM, C_R, 0, "↽"},
    {"leftharpoonup", K_SYM, C_R, 0, "↼"},
    {"leftleftarrows", K_SYM, C_R, 0, "⇇"},
    {"leftrightarrow", K_SYM, C_R, 0, "↔"},
    {"leftrightharpoons", K_SYM, C_R, 0, "⇋"},
    {"leq", K_SYM, C_R, 0, "≤"},
    {"leqq", K_SYM, C_R, 0, "≦"},
    {"leqslant", K_SYM, C_R, 0, "⩽"},
    {"lessapprox", K_SYM, C_R, 0, "⪅"},
    {"lesseqgtr", K_SYM, C_R, 0, "⋚"},
    {"lessgtr", K_SYM, C_R, 0, "≶"},
    {"lesssim", K_SYM, C_R, 0, "≲"},
    {"lfloor", K_SYM, C_OP, 0, "⌊"},
    {"lg", K_FUNC, C_F, 0, "lg"},
    {"lgroup", K_SYM, C_OP, 0, "⟮"},
    {"lhd", K_SYM, C_B, 0, "⊲"},
    {"lim", K_FUNC, C_FL, 0, "lim"},
    {"liminf", K_FUNC, C_FL, 0, "lim inf"},
    {"limits", K_LIMITS, C_NONE, 0, NULL},
    {"limsup", K_FUNC, C_FL, 0, "lim sup"},
    {"ll", K_SYM, C_R, 0, "≪"},
    {"llap", K_MATHCLASS, C_O, 0, NULL},
    {"llbracket", K_SYM, C_OP, 0, "⟦"},
    {"lll", K_SYM, C_R, 0, "⋘"},
    {"ln", K_FUNC, C_F, 0, "ln"},
    {"lneq", K_SYM, C_R, 0, "⪇"},
    {"lneqq", K_SYM, C_R, 0, "≨"},
    {"lnot", K_SYM, C_O, 0, "¬"},
    {"log", K_FUNC, C_F, 0, "log"},
    {"longleftarrow", K_SYM, C_R, 0, "⟵"},
    {"longleftrightarrow", K_SYM, C_R, 0, "⟷"},
    {"longmapsto", K_SYM, C_R, 0, "⟼"},
    {"longrightarrow", K_SYM, C_R, 0, "⟶"},
    {"looparrowright", K_SYM, C_R, 0, "↬"},
    {"lor", K_SYM, C_B, 0, "∨"},
    {"lozenge", K_SYM, C_N, 0, "◊"},
    {"lt", K_SYM, C_R, 0, "<"},
    {"ltimes", K_SYM, C_B, 0, "⋉"},
    {"lvert", K_SYM, C_OP, 0, "|"},
    {"mapsto", K_SYM, C_R, 0, "↦"},
    {"mathbb", K_FONT, C_NONE, 5, NULL},
    {"mathbbm", K_FONT, C_NONE, 5, NULL},
    {"mathbf", K_FONT, C_NONE, 2, NULL},
    {"mathbfit", K_FONT, C_NONE, 4, NULL},
    {"mathbin", K_MATHCLASS, C_B, 0, NULL},
    {"mathcal", K_FONT, C_NONE, 6, NULL},
    {"mathclap", K_MATHCLASS, C_O, 0, NULL},
    {"mathclose", K_MATHCLASS, C_CL, 0, NULL},
    {"mathds", K_FONT, C_NONE, 5, NULL},
    {"mathfrak", K_FONT, C_NONE, 8, NULL},
    {"mathinner", K_MATHCLASS, C_O, 0, NULL},
    {"mathit", K_FONT, C_NONE, 3, NULL},
    {"mathllap", K_MATHCLASS, C_O, 0, NULL},
    {"mathnormal", K_FONT, C_NONE, 0, NULL},
    {"mathop", K_MATHOP, C_NONE, 0, NULL},
    {"mathopen", K_MATHCLASS, C_OP, 0, NULL},
    {"mathord", K_MATHCLASS, C_O, 0, NULL},
    {"mathpunct", K_MATHCLASS, C_P, 0, NULL},
    {"mathrel", K_MATHCLASS, C_R, 0, NULL},
    {"mathring", K_ACCENT, C_NONE, 0, "˚"},
    {"mathrlap", K_MATHCLASS, C_O, 0, NULL},
    {"mathrm", K_FONT, C_NONE, 1, NULL},
    {"mathscr", K_FONT, C_NONE, 6, NULL},
    {"mathsf", K_FONT, C_NONE, 10, NULL},
    {"mathstrut", K_IGNORE, C_NONE, 0, NULL},
    {"mathtt", K_FONT, C_NONE, 13, NULL},
    {"max", K_FUNC, C_FL, 0, "max"},
    {"mbox", K_TEXT, C_NONE, 0, NULL},
    {"measuredangle", K_SYM, C_N, 0, "∡"},
    {"medspace", K_SPACE, C_NONE, 4, NULL},
    {"mho", K_SYM, C_N, 0, "℧"},
    {"mid", K_SYM, C_R, 0, "∣"},
    {"middle", K_MIDDLE, C_NONE, 0, NULL},
    {"min", K_FUNC, C_FL, 0, "min"},
    {"mkern", K_HSPACE, C_NONE, 1, NULL},
    {"mod", K_MOD, C_NONE, 0, NULL},
    {"models", K_SYM, C_R, 0, "⊨"},
    {"mp", K_SYM, C_B, 0, "∓"},
    {"mskip", K_HSPACE, C_NONE, 1, NULL},
    {"mu", K_SYM, C_I, 0, "μ"},
    {"multimap", K_SYM, C_R, 0, "⊸"},
    {"nLeftarrow", K_SYM, C_R, 0, "⇍"},
    {"nLeftrightarrow", K_SYM, C_R, 0, "⇎"},
    {"nRightarrow", K_SYM, C_R, 0, "⇏"},
    {"nabla", K_SYM, C_N, 0, "∇"},
    {"natural", K_SYM, C_N, 0, "♮"},
    {"ncong", K_SYM, C_R, 0, "≇"},
    {"ne", K_SYM, C_R, 0, "≠"},
    {"nearrow", K_SYM, C_R, 0, "↗"},
    {"neg", K_SYM, C_O, 0, "¬"},
    {"negmedspace", K_SPACE, C_NONE, -4, NULL},
    {"negthickspace", K_SPACE, C_NONE, -5, NULL},
    {"negthinspace", K_SPACE, C_NONE, -3, NULL},
    {"neq", K_SYM, C_R, 0, "≠"},
    {"newline", K_NEWLINE, C_NONE, 0, NULL},
    {"nexists", K_SYM, C_N, 0, "∄"},
    {"ngeq", K_SYM, C_R, 0, "≱"},
    {"ngeqslant", K_SYM, C_R, 0, "⩾̸"},
    {"ngtr", K_SYM, C_R, 0, "≯"},
    {"ni", K_SYM, C_R, 0, "∋"},
    {"nleftarrow", K_SYM, C_R, 0, "↚"},
    {"nleq", K_SYM, C_R, 0, "≰"},
    {"nleqslant", K_SYM, C_R, 0, "⩽̸"},
    {"nless", K_SYM, C_R, 0, "≮"},
    {"nmid", K_SYM, C_R, 0, "∤"},
    {"nobreak", K_IGNORE, C_NONE, 0, NULL},
    {"nolimits", K_NOLIMITS, C_NONE, 0, NULL},
    {"nonumber", K_IGNORE, C_NONE, 0, NULL},
    {"not", K_NOT, C_NONE, 0, NULL},
    {"notag", K_IGNORE, C_NONE, 0, NULL},
    {"notin", K_SYM, C_R, 0, "∉"},
    {"nparallel", K_SYM, C_R, 0, "∦"},
    {"nrightarrow", K_SYM, C_R, 0, "↛"},
    {"nsim", K_SYM, C_R, 0, "≁"},
    {"nsubseteq", K_SYM, C_R, 0, "⊈"},
    {"nsupseteq", K_SYM, C_R, 0, "⊉"},
    {"nu", K_SYM, C_I, 0, "ν"},
    {"nwarrow", K_SYM, C_R, 0, "↖"},
    {"odot", K_SYM, C_B, 0, "⊙"},
    {"oiiint", K_BIGOP, C_LI, 0, "∰"},
    {"oiint", K_BIGOP, C_LI, 0, "∯"},
    {"oint", K_BIGOP, C_LI, 0, "∮"},
    {"omega", K_SYM, C_I, 0, "ω"},
    {"omicron", K_SYM, C_I, 0, "ο"},
    {"ominus", K_SYM, C_B, 0, "⊖"},
    {"operatorname", K_OPNAME, C_NONE, 0, NULL},
    {"oplus", K_SYM, C_B, 0, "⊕"},
    {"oslash", K_SYM, C_B, 0, "⊘"},
    {"otimes", K_SYM, C_B, 0, "⊗"},
    {"over", K_OVER, C_NONE, 0, NULL},
    {"overbrace", K_ACCENT, C_NONE, 6, "⏞"},
    {"overleftarrow", K_ACCENT, C_NONE, 2, "←"},
    {"overleftrightarrow", K_ACCENT, C_NONE, 2, "↔"},
    {"overline", K_ACCENT, C_NONE, 2, "‾"},
    {"overrightarrow", K_ACCENT, C_NONE, 2, "→"},
    {"overset", K_OVERSET, C_NONE, 0, NULL},
    {"owns", K_SYM, C_R, 0, "∋"},
    {"parallel", K_SYM, C_R, 0, "∥"},
    {"partial", K_SYM, C_I, 0, "∂"},
    {"perp", K_SYM, C_R, 0, "⊥"},
    {"phantom", K_PHANTOM, C_NONE, 0, NULL},
    {"phi", K_SYM, C_I, 0, "ϕ"},
    {"pi", K_SYM, C_I, 0, "π"},
    {"pitchfork", K_SYM, C_R, 0, "⋔"},
    {"pm", K_SYM, C_B, 0, "±"},
    {"pmb", K_FONT, C_NONE, 4, NULL},
    {"pmod", K_PMOD, C_NONE, 0, NULL},
    {"pounds", K_SYM, C_N, 0, "£"},
    {"prec", K_SYM, C_R, 0, "≺"},
    {"preceq", K_SYM, C_R, 0, "⪯"},
    {"precsim", K_SYM, C_R, 0, "≾"},
    {"prime", K_SYM, C_O, 0, "′"},
    {"prod", K_BIGOP, C_L, 0, "∏"},
    {"propto", K_SYM, C_R, 0, "∝"},
    {"psi", K_SYM, C_I, 0, "ψ"},
    {"qquad", K_SPACE, C_NONE, 36, NULL},
    {"quad", K_SPACE, C_NONE, 18, NULL},
    {"rVert", K_SYM, C_CL, 0, "‖"},
    {"rangle", K_SYM, C_CL, 0, "⟩"},
    {"rbrace", K_SYM, C_CL, 0, "}"},
    {"rbrack", K_SYM, C_CL, 0, "]"},
    {"rceil", K_SYM, C_CL, 0, "⌉"},
    {"rfloor", K_SYM, C_CL, 0, "⌋"},
    {"rgroup", K_SYM, C_CL, 0, "⟯"},
    {"rhd", K_SYM, C_B, 0, "⊳"},
    {"rho", K_SYM, C_I, 0, "ρ"},
    {"right", K_RIGHT, C_NONE, 0, NULL},
    {"rightarrow", K_SYM, C_R, 0, "→"},
    {"rightarrowtail", K_SYM, C_R, 0, "↣"},
    {"rightharpoondown", K_SYM, C_R, 0, "⇁"},
    {"rightharpoonup", K_SYM, C_R, 0, "⇀"},
    {"rightleftharpoons", K_SYM, C_R, 0, "⇌"},
    {"rightrightarrows", K_SYM, C_R, 0, "⇉"},
    {"rightsquigarrow", K_SYM, C_R, 0, "⇝"},
    {"rlap", K_MATHCLASS, C_O, 0, NULL},
    {"rm", K_SWITCH, C_NONE, 1, NULL},
    {"rrbracket", K_SYM, C_CL, 0, "⟧"},
    {"rtimes", K_SYM, C_B, 0, "⋊"},
    {"rvert", K_SYM, C_CL, 0, "|"},
    {"scriptscriptstyle", K_STYLE, C_NONE, 3, NULL},
    {"scriptstyle", K_STYLE, C_NONE, 3, NULL},
    {"searrow", K_SYM, C_R, 0, "↘"},
    {"sec", K_FUNC, C_F, 0, "sec"},
    {"setminus", K_SYM, C_B, 0, "∖"},
    {"sf", K_SWITCH, C_NONE, 10, NULL},
    {"sgn", K_FUNC, C_F, 0, "sgn"},
    {"sharp", K_SYM, C_N, 0, "♯"},
    {"sigma", K_SYM, C_I, 0, "σ"},
    {"sim", K_SYM, C_R, 0, "∼"},
    {"simeq", K_SYM, C_R, 0, "≃"},
    {"sin", K_FUNC, C_F, 0, "sin"},
    {"sinh", K_FUNC, C_F, 0, "sinh"},
    {"smallint", K_BIGOP, C_LI, 0, "∫"},
    {"smallsetminus", K_SYM, C_B, 0, "∖"},
    {"smile", K_SYM, C_R, 0, "⌣"},
    {"spadesuit", K_SYM, C_N, 0, "♠"},
    {"sqcap", K_SYM, C_B, 0, "⊓"},
    {"sqcup", K_SYM, C_B, 0, "⊔"},
    {"sqrt", K_SQRT, C_NONE, 0, NULL},
    {"sqsubset", K_SYM, C_R, 0, "⊏"},
    {"sqsubseteq", K_SYM, C_R, 0, "⊑"},
    {"sqsupset", K_SYM, C_R, 0, "⊐"},
    {"sqsupseteq", K_SYM, C_R, 0, "⊒"},
    {"square", K_SYM, C_N, 0, "□"},
    {"stackrel", K_OVERSET, C_NONE, 0, NULL},
    {"star", K_SYM, C_B, 0, "⋆"},
    {"strut", K_IGNORE, C_NONE, 0, NULL},
    {"subset", K_SYM, C_R, 0, "⊂"},
    {"subseteq", K_SYM, C_R, 0, "⊆"},
    {"subsetneq", K_SYM, C_R, 0, "⊊"},
    {"substack", K_SUBSTACK, C_NONE, 0, NULL},
    {"succ", K_SYM, C_R, 0, "≻"},
    {"succeq", K_SYM, C_R, 0, "⪰"},
    {"succsim", K_SYM, C_R, 0, "≿"},
    {"sum", K_BIGOP, C_L, 0, "∑"},
    {"sup", K_FUNC, C_FL, 0, "sup"},
    {"supset", K_SYM, C_R, 0, "⊃"},
    {"supseteq", K_SYM, C_R, 0, "⊇"},
    {"supsetneq", K_SYM, C_R, 0, "⊋"},
    {"surd", K_SYM, C_O, 0, "√"},
    {"swarrow", K_SYM, C_R, 0, "↙"},
    {"tag", K_TAG, C_NONE, 0, NULL},
    {"tan", K_FUNC, C_F, 0, "tan"},
    {"tanh", K_FUNC, C_F, 0, "tanh"},
    {"tau", K_SYM, C_I, 0, "τ"},
    {"tbinom", K_BINOM, C_NONE, 2, NULL},
    {"text", K_TEXT, C_NONE, 0, NULL},
    {"textbf", K_TEXT, C_NONE, 2, NULL},
    {"textcolor", K_TEXTCOLOR, C_NONE, 0, NULL},
    {"textit", K_TEXT, C_NONE, 3, NULL},
    {"textnormal", K_TEXT, C_NONE, 0, NULL},
    {"textrm", K_TEXT, C_NONE, 0, NULL},
    {"textsc", K_TEXT, C_NONE, 0, NULL},
    {"textsf", K_TEXT, C_NONE, 10, NULL},
    {"textstyle", K_STYLE, C_NONE, 2, NULL},
    {"textsuperscript", K_TEXT, C_NONE, 0, NULL},
    {"texttt", K_TEXT, C_NONE, 13, NULL},
    {"textup", K_TEXT, C_NONE, 0, NULL},
    {"tfrac", K_FRAC, C_NONE, 2, NULL},
    {"therefore", K_SYM, C_R, 0, "∴"},
    {"theta", K_SYM, C_I, 0, "θ"},
    {"thickapprox", K_SYM, C_R, 0, "≈"},
    {"thicksim", K_SYM, C_R, 0, "∼"},
    {"thickspace", K_SPACE, C_NONE, 5, NULL},
    {"thinspace", K_SPACE, C_NONE, 3, NULL},
    {"tilde", K_ACCENT, C_NONE, 0, "~"},
    {"times", K_SYM, C_B, 0, "×"},
    {"to", K_SYM, C_R, 0, "→"},
    {"top", K_SYM, C_N, 0, "⊤"},
    {"triangle", K_SYM, C_N, 0, "△"},
    {"triangledown", K_SYM, C_N, 0, "▽"},
    {"triangleleft", K_SYM, C_B, 0, "◃"},
    {"trianglelefteq", K_SYM, C_R, 0, "⊴"},
    {"triangleq", K_SYM, C_R, 0, "≜"},
    {"triangleright", K_SYM, C_B, 0, "▹"},
    {"trianglerighteq", K_SYM, C_R, 0, "⊵"},
    {"tt", K_SWITCH, C_NONE, 13, NULL},
    {"twoheadleftarrow", K_SYM, C_R, 0, "↞"},
    {"twoheadrightarrow", K_SYM, C_R, 0, "↠"},
    {"underbrace", K_ACCENT, C_NONE, 7, "⏟"},
    {"underleftarrow", K_ACCENT, C_NONE, 3, "←"},
    {"underline", K_ACCENT, C_NONE, 3, "‾"},
    {"underrightarrow", K_ACCENT, C_NONE, 3, "→"},
    {"underset", K_UNDERSET, C_NONE, 0, NULL},
    {"unlhd", K_SYM, C_B, 0, "⊴"},
    {"unrhd", K_SYM, C_B, 0, "⊵"},
    {"uparrow", K_SYM, C_R, 0, "↑"},
    {"updownarrow", K_SYM, C_R, 0, "↕"},
    {"uplus", K_SYM, C_B, 0, "⊎"},
    {"upsilon", K_SYM, C_I, 0, "υ"},
    {"upuparrows", K_SYM, C_R, 0, "⇈"},
    {"vDash", K_SYM, C_R, 0, "⊨"},
    {"varDelta", K_SYM, C_I, 0, "Δ"},
    {"varGamma", K_SYM, C_I, 0, "Γ"},
    {"varLambda", K_SYM, C_I, 0, "Λ"},
    {"varOmega", K_SYM, C_I, 0, "Ω"},
    {"varPhi", K_SYM, C_I, 0, "Φ"},
    {"varPi", K_SYM, C_I, 0, "Π"},
    {"varPsi", K_SYM, C_I, 0, "Ψ"},
    {"varSigma", K_SYM, C_I, 0, "Σ"},
    {"varTheta", K_SYM, C_I, 0, "Θ"},
    {"varepsilon", K_SYM, C_I, 0, "ε"},
    {"varkappa", K_SYM, C_I, 0, "ϰ"},
    {"varliminf", K_FUNC, C_FL, 0, "lim inf"},
    {"varlimsup", K_FUNC, C_FL, 0, "lim sup"},
    {"varnothing", K_SYM, C_N, 0, "∅"},
    {"varphi", K_SYM, C_I, 0, "φ"},
    {"varpi", K_SYM, C_I, 0, "ϖ"},
    {"varpropto", K_SYM, C_R, 0, "∝"},
    {"varrho", K_SYM, C_I, 0, "ϱ"},
    {"varsigma", K_SYM, C_I, 0, "ς"},
    {"vartheta", K_SYM, C_I, 0, "ϑ"},
    {"vartriangleleft", K_SYM, C_R, 0, "⊲"},
    {"vartriangleright", K_SYM, C_R, 0, "⊳"},
    {"vdash", K_SYM, C_R, 0, "⊢"},
    {"vdots", K_SYM, C_O, 0, "⋮"},
    {"vec", K_ACCENT, C_NONE, 0, "→"},
    {"vee", K_SYM, C_B, 0, "∨"},
    {"vert", K_SYM, C_O, 0, "|"},
    {"vphantom", K_SKIPARG, C_NONE, 0, NULL},
    {"wedge", K_SYM, C_B, 0, "∧"},
    {"widecheck", K_ACCENT, C_NONE, 2, "ˇ"},
    {"widehat", K_ACCENT, C_NONE, 2, "^"},
    {"widetilde", K_ACCENT, C_NONE, 2, "~"},
    {"wp", K_SYM, C_N, 0, "℘"},
    {"wr", K_SYM, C_B, 0, "≀"},
    {"xLeftarrow", K_XARROW, C_NONE, 0, "⇐"},
    {"xLeftrightarrow", K_XARROW, C_NONE, 0, "⇔"},
    {"xRightarrow", K_XARROW, C_NONE, 0, "⇒"},
    {"xi", K_SYM, C_I, 0, "ξ"},
    {"xleftarrow", K_XARROW, C_NONE, 0, "←"},
    {"xleftrightarrow", K_XARROW, C_NONE, 0, "↔"},
    {"xmapsto", K_XARROW, C_NONE, 0, "↦"},
    {"xrightarrow", K_XARROW, C_NONE, 0, "→"},
    {"zeta", K_SYM, C_I, 0, "ζ"},
    {"{", K_SYM, C_OP, 0, "{"},
    {"|", K_SYM, C_O, 0, "‖"},
    {"}", K_SYM, C_CL, 0, "}"},
};

int tex_table_sorted(void)
{
    for (size_t i = 1; i < sizeof cmds / sizeof *cmds; i++)
        if (strcmp(cmds[i - 1].name, cmds[i].name) >= 0) return 0;
    return 1;
}

static const cmd *lookup(const char *name, size_t len)
{
    size_t lo = 0, hi = sizeof cmds / sizeof *cmds;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *k = cmds[mid].name;
        int c = strncmp(name, k, len);
        if (c == 0) c = k[len] ? -1 : 0;
        if (c == 0) return &cmds[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- letter styles */

uint32_t folio_math_variant_cp(uint32_t cp, int v)
{
    /* Letters: base of A in each style; the holes are filled from the
     * Letterlike Symbols block. */
    static const uint32_t latin[] = {
        [FOLIO_MATH_V_BOLD] = 0x1D400,
        [FOLIO_MATH_V_ITALIC] = 0x1D434,
        [FOLIO_MATH_V_BOLD_ITALIC] = 0x1D468,
        [FOLIO_MATH_V_SCRIPT] = 0x1D49C,
        [FOLIO_MATH_V_BOLD_SCRIPT] = 0x1D4D0,
        [FOLIO_MATH_V_FRAKTUR] = 0x1D504,
        [FOLIO_MATH_V_DOUBLE_STRUCK] = 0x1D538,
        [FOLIO_MATH_V_BOLD_FRAKTUR] = 0x1D56C,
        [FOLIO_MATH_V_SANS] = 0x1D5A0,
        [FOLIO_MATH_V_SANS_BOLD] = 0x1D5D4,
        [FOLIO_MATH_V_SANS_ITALIC] = 0x1D608,
        [FOLIO_MATH_V_MONO] = 0x1D670,
    };
    static const struct {
        unsigned char v;
        char c;
        uint32_t to;
    } holes[] = {
        {FOLIO_MATH_V_ITALIC, 'h', 0x210E},
        {FOLIO_MATH_V_SCRIPT, 'B', 0x212C},
        {FOLIO_MATH_V_SCRIPT, 'E', 0x2130},
        {FOLIO_MATH_V_SCRIPT, 'F', 0x2131},
        {FOLIO_MATH_V_SCRIPT, 'H', 0x210B},
        {FOLIO_MATH_V_SCRIPT, 'I', 0x2110},
        {FOLIO_MATH_V_SCRIPT, 'L', 0x2112},
        {FOLIO_MATH_V_SCRIPT, 'M', 0x2133},
        {FOLIO_MATH_V_SCRIPT, 'R', 0x211B},
        {FOLIO_MATH_V_SCRIPT, 'e', 0x212F},
        {FOLIO_MATH_V_SCRIPT, 'g', 0x210A},
        {FOLIO_MATH_V_SCRIPT, 'o', 0x2134},
        {FOLIO_MATH_V_FRAKTUR, 'C', 0x212D},
        {FOLIO_MATH_V_FRAKTUR, 'H', 0x210C},
        {FOLIO_MATH_V_FRAKTUR, 'I', 0x2111},
        {FOLIO_MATH_V_FRAKTUR, 'R', 0x211C},
        {FOLIO_MATH_V_FRAKTUR, 'Z', 0x2128},
        {FOLIO_MATH_V_DOUBLE_STRUCK, 'C', 0x2102},
        {FOLIO_MATH_V_DOUBLE_STRUCK, 'H', 0x210D},
        {FOLIO_MATH_V_DOUBLE_STRUCK, 'N', 0x2115},
        {FOLIO_MATH_V_DOUBLE_STRUCK, 'P', 0x2119},
        {FOLIO_MATH_V_DOUBLE_STRUCK, 'Q', 0x211A},
        {FOLIO_MATH_V_DOUBLE_STRUCK, 'R', 0x211D},
        {FOLIO_MATH_V_DOUBLE_STRUCK, 'Z', 0x2124},
    };
    if (v <= FOLIO_MATH_V_NORMAL || v > FOLIO_MATH_V_MONO) return cp;
    int up = cp >= 'A' && cp <= 'Z', low = cp >= 'a' && cp <= 'z';
    if (up || low) {
        for (size_t i = 0; i < sizeof holes / sizeof *holes; i++)
            if (holes[i].v == v && (uint32_t)holes[i].c == cp)
                return holes[i].to;
        return latin[v] + (up ? cp - 'A' : 26 + cp - 'a');
    }
    if (cp >= '0' && cp <= '9') {
        uint32_t d = 0;
        switch (v) {
        case FOLIO_MATH_V_BOLD:
        case FOLIO_MATH_V_BOLD_ITALIC:
            d = 0x1D7CE;
            break;
        case FOLIO_MATH_V_DOUBLE_STRUCK:
            d = 0x1D7D8;
            break;
        case FOLIO_MATH_V_SANS:
        case FOLIO_MATH_V_SANS_ITALIC:
            d = 0x1D7E2;
            break;
        case FOLIO_MATH_V_SANS_BOLD:
            d = 0x1D7EC;
            break;
        case FOLIO_MATH_V_MONO:
            d = 0x1D7F6;
            break;
        default:
            return cp;
        }
        return d + cp - '0';
    }
    /* Greek: bold, italic and bold italic only (capitals 0391..03A9 without
     * the hole at 03A2, small 03B1..03C9). */
    uint32_t gcap = 0, gsmall = 0;
    if (v == FOLIO_MATH_V_BOLD) gcap = 0x1D6A8, gsmall = 0x1D6C2;
    if (v == FOLIO_MATH_V_ITALIC) gcap = 0x1D6E2, gsmall = 0x1D6FC;
    if (v == FOLIO_MATH_V_BOLD_ITALIC) gcap = 0x1D71C, gsmall = 0x1D736;
    if (!gcap) return cp;
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) return gcap + cp - 0x391;
    if (cp >= 0x3B1 && cp <= 0x3C9) return gsmall + cp - 0x3B1;
    return cp;
}

/* ---- the reader */

enum {
    S_BRACE = 1,   /* stop at } */
    S_RIGHT = 2,   /* stop at \right */
    S_END = 4,     /* stop at \end */
    S_CELL = 8,    /* stop at & and \\ */
    S_BRACKET = 16 /* stop at ] (optional argument) */
};

typedef struct rd {
    folio_tex *t;
    arena *a;
    const char *s;
    size_t n, i;
    int depth;
    int variant; /* font switch in effect (\rm, \bf) */
} rd;

static folio_math *mk(rd *p, int kind, size_t start)
{
    folio_math *m = arena_alloc(p->a, sizeof *m);
    m->kind = (unsigned char)kind;
    m->src = (uint32_t)start;
    m->srclen = (uint32_t)(p->i - start);
    return m;
}

static void fin(rd *p, folio_math *m, size_t start)
{
    m->src = (uint32_t)start;
    m->srclen = (uint32_t)(p->i - start);
}

static folio_math *mktext(rd *p, int kind, size_t start, const char *s,
                          size_t n)
{
    folio_math *m = mk(p, kind, start);
    m->text = arena_strndup(p->a, s, n);
    return m;
}

/* The source [start, i) as an ERROR node: the visible fallback. */
static folio_math *fail(rd *p, size_t start)
{
    p->t->errors++;
    if (p->i == start && p->i < p->n) {
        uint32_t cp;
        p->i += text_utf8_next(p->s + p->i, p->n - p->i, &cp);
    }
    return mktext(p, FOLIO_MATH_ERROR, start, p->s + start, p->i - start);
}

static void append(folio_math *row, folio_math **tail, folio_math *m)
{
    if (!m) return;
    if (*tail)
        (*tail)->next = m;
    else
        row->first = m;
    *tail = m;
}

static int at_end(rd *p)
{
    return p->i >= p->n;
}

/* The star of a starred command (\operatorname*, \tag*, \\*): 1 when
 * one stands here, and it is read. */
static int star(rd *p)
{
    if (at_end(p) || p->s[p->i] != '*') return 0;
    p->i++;
    return 1;
}

static void skip_ws(rd *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f')
            p->i++;
        else if (c == '%')
            while (p->i < p->n && p->s[p->i] != '\n')
                p->i++;
        else
            break;
    }
}

static int is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The name of the control sequence at i (which is '\'), without moving. */
static size_t cs_name(rd *p, const char **name)
{
    size_t j = p->i + 1;
    *name = p->s + j;
    if (j >= p->n) return 0;
    if (!is_letter(p->s[j])) return 1;
    while (j < p->n && is_letter(p->s[j]))
        j++;
    return j - (p->i + 1);
}

static int cs_is(rd *p, const char *want)
{
    if (p->i >= p->n || p->s[p->i] != '\\') return 0;
    const char *name;
    size_t len = cs_name(p, &name);
    return len == strlen(want) && memcmp(name, want, len) == 0;
}

/* Skip to the end of the enclosing brace group (or the input). */
static void skip_to_group_end(rd *p)
{
    int d = 0;
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '\\' && p->i + 1 < p->n) {
            p->i += 2;
            continue;
        }
        if (c == '{') d++;
        if (c == '}') {
            if (d == 0) return;
            d--;
        }
        p->i++;
    }
}

/* A braced argument read as raw text ({...} with nesting, or one token).
 * Escapes \{ \} \$ \% \& \_ \# and control spaces become their
 * characters.  Returns NULL when the argument is missing or unclosed. */
static char *raw_arg(rd *p, size_t *outlen)
{
    skip_ws(p);
    if (at_end(p) || p->s[p->i] == '}') return NULL;
    folio_buf b = {0};
    if (p->s[p->i] != '{') {
        size_t st = p->i;
        if (p->s[p->i] == '\\') {
            const char *name;
            size_t len = cs_name(p, &name);
            p->i += 1 + len;
        } else {
            uint32_t cp;
            p->i += text_utf8_next(p->s + p->i, p->n - p->i, &cp);
        }
        *outlen = p->i - st;
        return arena_strndup(p->a, p->s + st, p->i - st);
    }
    p->i++;
    int d = 0;
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '}' && d == 0) break;
        if (c == '{') d++;
        if (c == '}') d--;
        if (c == '\\' && p->i + 1 < p->n) {
            char e = p->s[p->i + 1];
            if (strchr("{}$%&_# ,;:!", e)) {
                buf_putc(&b, strchr(",;:! ", e) ? ' ' : e);
                p->i += 2;
                continue;
            }
        }
        if (c == '~') {
            buf_puts(&b, "\xC2\xA0");
            p->i++;
            continue;
        }
        if (c == '$') { /* nested math inside text: keep its TeX */
            p->i++;
            continue;
        }
        buf_putc(&b, c);
        p->i++;
    }
    if (at_end(p)) {
        buf_free(&b);
        return NULL;
    }
    p->i++; /* } */
    *outlen = b.len;
    char *r = arena_strndup(p->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

static folio_math *parse_list(rd *p, int stops);

/* An optional [argument] (\sqrt[n], \xrightarrow[below]): *y is it or
 * NULL.  -1 when it is not closed. */
static int opt_arg(rd *p, folio_math **y)
{
    skip_ws(p);
    *y = NULL;
    if (at_end(p) || p->s[p->i] != '[') return 0;
    p->i++;
    *y = parse_list(p, S_BRACKET);
    if (at_end(p)) return -1;
    p->i++;
    return 0;
}

static folio_math *parse_atom(rd *p, int stops, int one);
static folio_math *parse_table(rd *p, int stop);

static folio_math *row_of(rd *p, size_t start, folio_math *a, folio_math *b)
{
    folio_math *r = mk(p, FOLIO_MATH_ROW, start), *tail = NULL;
    append(r, &tail, a);
    append(r, &tail, b);
    return r;
}

/* One argument: a group, a command, or one character (one digit). */
static folio_math *parse_arg(rd *p)
{
    skip_ws(p);
    if (at_end(p)) return NULL;
    char c = p->s[p->i];
    if (c == '}' || c == '&' || c == '^' || c == '_' || c == ']') return NULL;
    if (c == '\\' && (cs_is(p, "right") || cs_is(p, "end") || cs_is(p, "\\")))
        return NULL;
    return parse_atom(p, 0, 1);
}

/* A delimiter after \left, \right, \big...: its UTF-8 form ("" for '.'),
 * NULL when there is none. */
static const char *parse_delim(rd *p)
{
    skip_ws(p);
    if (at_end(p)) return NULL;
    char c = p->s[p->i];
    static const char *ascii = "()[]|/.<>";
    if (c && strchr(ascii, c)) {
        p->i++;
        switch (c) {
        case '(':
            return "(";
        case ')':
            return ")";
        case '[':
            return "[";
        case ']':
            return "]";
        case '|':
            return "|";
        case '/':
            return "/";
        case '<':
            return "\xE2\x9F\xA8";
        case '>':
            return "\xE2\x9F\xA9";
        default:
            return "";
        }
    }
    if (c != '\\') return NULL;
    const char *name;
    size_t len = cs_name(p, &name);
    const cmd *k = lookup(name, len);
    if (!k || k->kind != K_SYM || !k->u) return NULL;
    if (k->cls != C_OP && k->cls != C_CL && k->cls != C_O && k->cls != C_R)
        return NULL;
    p->i += 1 + len;
    return k->u;
}

static folio_math *op(rd *p, size_t start, const char *u, unsigned flags)
{
    folio_math *m = mktext(p, FOLIO_MATH_OP, start, u, strlen(u));
    m->flags = flags;
    return m;
}

static unsigned cls_flags(int cls)
{
    switch (cls) {
    case C_B:
        return FOLIO_MATH_F_BIN;
    case C_R:
        return FOLIO_MATH_F_REL;
    case C_OP:
        return FOLIO_MATH_F_OPEN;
    case C_CL:
        return FOLIO_MATH_F_CLOSE;
    case C_P:
        return FOLIO_MATH_F_PUNCT;
    default:
        return 0;
    }
}

/* Join a row of single letters (\mathrm{max}, \mathbf{xy}) into one
 * identifier, as TeX sets them. */
static folio_math *merge_letters(rd *p, folio_math *m)
{
    if (!m || m->kind != FOLIO_MATH_ROW || !m->first || !m->first->next)
        return m;
    size_t n = 0;
    for (folio_math *c = m->first; c; c = c->next) {
        if (c->kind != FOLIO_MATH_IDENT || (c->flags & FOLIO_MATH_F_FUNC))
            return m;
        n += strlen(c->text);
    }
    char *s = arena_alloc(p->a, n + 1), *q = s;
    for (folio_math *c = m->first; c; c = c->next) {
        size_t k = strlen(c->text);
        memcpy(q, c->text, k);
        q += k;
    }
    folio_math *r = m->first;
    r->text = s;
    r->next = NULL;
    r->src = m->src;
    r->srclen = m->srclen;
    return r;
}

static folio_math *single(folio_math *m)
{
    while (m && m->kind == FOLIO_MATH_ROW && m->first && !m->first->next &&
           !(m->flags & (FOLIO_MATH_F_BOXED | FOLIO_MATH_F_PHANTOM)))
        m = m->first;
    return m;
}

/* \not x: the negated relation. */
static folio_math *negate(rd *p, size_t start, folio_math *x)
{
    static const char *pairs[][2] = {
        {"=", "≠"}, {"<", "≮"}, {">", "≯"}, {"∈", "∉"}, {"∋", "∌"}, {"⊂", "⊄"},
        {"⊃", "⊅"}, {"⊆", "⊈"}, {"⊇", "⊉"}, {"≡", "≢"}, {"∼", "≁"}, {"≈", "≉"},
        {"≤", "≰"}, {"≥", "≱"}, {"∣", "∤"}, {"∥", "∦"}, {"∃", "∄"}, {"≅", "≇"},
        {"≃", "≄"}, {"→", "↛"}, {"←", "↚"}, {"⇒", "⇏"}, {"⇔", "⇎"}, {"|", "∤"},
        {"≺", "⊀"}, {"≻", "⊁"}, {"⊢", "⊬"}, {"⊨", "⊭"},
    };
    x = single(x);
    if (!x || (x->kind != FOLIO_MATH_OP && x->kind != FOLIO_MATH_IDENT))
        return fail(p, start);
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (strcmp(x->text, pairs[i][0]) == 0)
            return op(p, start, pairs[i][1], FOLIO_MATH_F_REL);
    size_t n = strlen(x->text);
    char *s = arena_alloc(p->a, n + 3);
    memcpy(s, x->text, n);
    memcpy(s + n, "\xCC\xB8", 3); /* U+0338 combining long solidus */
    folio_math *m = mk(p, FOLIO_MATH_OP, start);
    m->text = s;
    m->flags = FOLIO_MATH_F_REL;
    return m;
}

/* A length for \hspace{..} and \mkern..: number and unit, in mu. */
static int parse_length(rd *p, int braced)
{
    skip_ws(p);
    if (braced) {
        if (at_end(p) || p->s[p->i] != '{') return -1000;
        p->i++;
    }
    skip_ws(p);
    size_t st = p->i;
    if (p->i < p->n && (p->s[p->i] == '-' || p->s[p->i] == '+')) p->i++;
    double v = 0, scale = 1;
    int digits = 0, frac = 0;
    while (p->i < p->n &&
           ((p->s[p->i] >= '0' && p->s[p->i] <= '9') || p->s[p->i] == '.')) {
        if (p->s[p->i] == '.')
            frac = 1;
        else {
            digits++;
            if (frac) scale /= 10;
            v = v * 10 + (p->s[p->i] - '0');
        }
        p->i++;
    }
    v *= scale;
    if (st < p->n && p->s[st] == '-') v = -v;
    skip_ws(p);
    static const struct {
        char u[3];
        double mu; /* mu per unit */
    } units[] = {{"mu", 1},   {"em", 18}, {"ex", 8},   {"pt", 1.8},
                 {"px", 1.8}, {"cm", 51}, {"mm", 5.1}, {"in", 130}};
    double mu = 0;
    int unit = 0;
    for (size_t k = 0; digits && p->i + 2 <= p->n && k < 8; k++)
        if (!memcmp(p->s + p->i, units[k].u, 2)) {
            mu = v * units[k].mu;
            unit = 1;
            p->i += 2;
            break;
        }
    skip_ws(p);
    if (braced) {
        if (at_end(p) || p->s[p->i] != '}') return -1000;
        p->i++;
    }
    if (!unit) return -1000;
    /* clamped before the cast: 400 digits overflow to infinity */
    if (!(mu <= 360)) mu = 360;
    if (!(mu >= -360)) mu = -360;
    return (int)mu;
}

static const struct env {
    const char *name;
    int env;
    const char *align;
    const char *fences; /* "open\tclose" or NULL */
    unsigned flags;
    int arg; /* 1: a column spec {..} follows, 2: a number {n} */
} envs[] = {
    {"Bmatrix", FOLIO_MATH_ENV_MATRIX, "c", "{\t}", 0, 0},
    {"Vmatrix", FOLIO_MATH_ENV_MATRIX, "c", "‖\t‖", 0, 0},
    {"align", FOLIO_MATH_ENV_ALIGN, "rl", NULL, 0, 0},
    {"align*", FOLIO_MATH_ENV_ALIGN, "rl", NULL, 0, 0},
    {"alignat", FOLIO_MATH_ENV_ALIGN, "rl", NULL, 0, 2},
    {"alignat*", FOLIO_MATH_ENV_ALIGN, "rl", NULL, 0, 2},
    {"aligned", FOLIO_MATH_ENV_ALIGN, "rl", NULL, 0, 0},
    {"alignedat", FOLIO_MATH_ENV_ALIGN, "rl", NULL, 0, 2},
    {"array", FOLIO_MATH_ENV_MATRIX, "c", NULL, 0, 1},
    {"bmatrix", FOLIO_MATH_ENV_MATRIX, "c", "[\t]", 0, 0},
    {"cases", FOLIO_MATH_ENV_CASES, "l", "{\t", 0, 0},
    {"dcases", FOLIO_MATH_ENV_CASES, "l", "{\t", 0, 0},
    {"eqnarray", FOLIO_MATH_ENV_ALIGN, "rcl", NULL, 0, 0},
    {"eqnarray*", FOLIO_MATH_ENV_ALIGN, "rcl", NULL, 0, 0},
    {"equation", FOLIO_MATH_ENV_GATHER, "c", NULL, 0, 0},
    {"equation*", FOLIO_MATH_ENV_GATHER, "c", NULL, 0, 0},
    {"flalign", FOLIO_MATH_ENV_ALIGN, "rl", NULL, 0, 0},
    {"flalign*", FOLIO_MATH_ENV_ALIGN, "rl", NULL, 0, 0},
    {"gather", FOLIO_MATH_ENV_GATHER, "c", NULL, 0, 0},
    {"gather*", FOLIO_MATH_ENV_GATHER, "c", NULL, 0, 0},
    {"gathered", FOLIO_MATH_ENV_GATHER, "c", NULL, 0, 0},
    {"matrix", FOLIO_MATH_ENV_MATRIX, "c", NULL, 0, 0},
    {"multline", FOLIO_MATH_ENV_GATHER, "c", NULL, 0, 0},
    {"multline*", FOLIO_MATH_ENV_GATHER, "c", NULL, 0, 0},
    {"pmatrix", FOLIO_MATH_ENV_MATRIX, "c", "(\t)", 0, 0},
    {"rcases", FOLIO_MATH_ENV_CASES, "l", "\t}", 0, 0},
    {"smallmatrix", FOLIO_MATH_ENV_MATRIX, "c", NULL, FOLIO_MATH_F_SMALL, 0},
    {"split", FOLIO_MATH_ENV_ALIGN, "rl", NULL, 0, 0},
    {"subarray", FOLIO_MATH_ENV_MATRIX, "c", NULL, FOLIO_MATH_F_SMALL, 1},
    {"vmatrix", FOLIO_MATH_ENV_MATRIX, "c", "|\t|", 0, 0},
};

/* The name in {..} after \begin or \end (bounded; no nesting). */
static size_t env_name(rd *p, const char **name)
{
    skip_ws(p);
    if (at_end(p) || p->s[p->i] != '{') return 0;
    size_t st = p->i + 1, j = st;
    while (j < p->n && j - st < 32 && p->s[j] != '}' && p->s[j] != '{' &&
           p->s[j] != '\\')
        j++;
    if (j >= p->n || p->s[j] != '}') return 0;
    *name = p->s + st;
    p->i = j + 1;
    return j - st;
}

static folio_math *parse_env(rd *p, size_t start)
{
    const char *name;
    size_t len = env_name(p, &name);
    if (!len) return fail(p, start);
    const struct env *e = NULL;
    for (size_t k = 0; k < sizeof envs / sizeof *envs; k++)
        if (strlen(envs[k].name) == len && !memcmp(envs[k].name, name, len))
            e = &envs[k];
    skip_ws(p);
    if (!at_end(p) && p->s[p->i] == '[') { /* [t] placement */
        while (p->i < p->n && p->s[p->i] != ']')
            p->i++;
        if (p->i < p->n) p->i++;
    }
    const char *align = e ? e->align : "c";
    if (e && e->arg) {
        size_t sl;
        char *spec = raw_arg(p, &sl);
        if (!spec) return fail(p, start);
        if (e->arg == 1) { /* keep l c r, drop rules and @{} */
            char *q = spec;
            for (char *s = spec; *s; s++)
                if (*s == 'l' || *s == 'c' || *s == 'r') *q++ = *s;
            *q = 0;
            if (*spec) align = spec;
        }
    }
    folio_math *tb = parse_table(p, S_END);
    const char *ename;
    size_t elen = 0;
    if (cs_is(p, "end")) {
        p->i += 4;
        elen = env_name(p, &ename);
    }
    if (!e || elen != len || memcmp(ename, name, len) != 0)
        return fail(p, start);
    tb->size = e->env;
    tb->text = align;
    tb->text2 = e->fences;
    tb->flags |= e->flags;
    fin(p, tb, start);
    return tb;
}

/* Rows of cells separated by & and \\ up to the stop (or the end). */
static folio_math *parse_table(rd *p, int stop)
{
    size_t start = p->i;
    folio_math *tb = mk(p, FOLIO_MATH_TABLE, start), *rtail = NULL;
    folio_math *row = NULL, *ctail = NULL;
    for (;;) {
        size_t cst = p->i;
        if (!row) {
            row = mk(p, FOLIO_MATH_ROW, cst);
            ctail = NULL;
            append(tb, &rtail, row);
        }
        folio_math *cell = parse_list(p, S_CELL | stop);
        append(row, &ctail, cell);
        fin(p, row, row->src);
        if (at_end(p)) break;
        if (p->s[p->i] == '&') {
            p->i++;
            continue;
        }
        if (cs_is(p, "\\") || cs_is(p, "cr") || cs_is(p, "newline")) {
            const char *nm;
            p->i += 1 + cs_name(p, &nm);
            star(p);
            if (!at_end(p) && p->s[p->i] == '[') {
                /* \\[2pt] is row spacing; a row that starts with [a, b)
                 * is not: skip only [number unit] */
                size_t save = p->i++;
                int mu = parse_length(p, 0);
                if (mu > -1000 && !at_end(p) && p->s[p->i] == ']')
                    p->i++;
                else
                    p->i = save;
            }
            row = NULL;
            continue;
        }
        break; /* the stop */
    }
    /* A last empty row (after a final \\) is no row. */
    if (rtail && rtail != tb->first && rtail->first && !rtail->first->next &&
        !rtail->first->first) {
        folio_math *r = tb->first;
        while (r->next != rtail)
            r = r->next;
        r->next = NULL;
    }
    fin(p, tb, start);
    return tb;
}

/* Scripts, primes, \limits after an atom. */
static folio_math *parse_scripted(rd *p, int stops)
{
    skip_ws(p);
    size_t start = p->i;
    folio_math *base = NULL;
    char c0 = p->s[p->i];
    if (c0 != '^' && c0 != '_' && c0 != '\'') {
        base = parse_atom(p, stops, 0);
        if (!base) return NULL;
    }
    folio_math *sc = NULL;
    int nest = 0;
    for (;;) {
        skip_ws(p);
        if (at_end(p)) break;
        char c = p->s[p->i];
        if (c == '\\' && (cs_is(p, "limits") || cs_is(p, "nolimits"))) {
            int lim = cs_is(p, "limits");
            p->i += lim ? 7 : 9;
            folio_math *b = single(base);
            if (b && !sc) {
                b->flags &= ~(FOLIO_MATH_F_LIMITS | FOLIO_MATH_F_NOLIMITS);
                b->flags |= lim ? FOLIO_MATH_F_LIMITS : FOLIO_MATH_F_NOLIMITS;
            }
            continue;
        }
        if (c != '^' && c != '_' && c != '\'') break;
        if (!base) base = mk(p, FOLIO_MATH_ROW, start);
        if (!sc ||
            (c == '^' && sc->c && !(sc->c->flags & FOLIO_MATH_F_PRIME)) ||
            (c == '_' && sc->b) || (c == '\'' && sc->c)) {
            /* a new script node; a double script nests (bounded) */
            if (++nest > FOLIO_MATH_MAX_DEPTH) {
                size_t st = p->i;
                skip_to_group_end(p);
                sc->c = row_of(p, st, sc->c, fail(p, st));
                break;
            }
            if (sc) fin(p, sc, start); /* the inner one ends here */
            folio_math *n = mk(p, FOLIO_MATH_SCRIPT, start);
            n->a = sc ? sc : base;
            sc = n;
        }
        size_t sst = p->i;
        if (c == '\'') {
            int k = 0;
            while (p->i < p->n && p->s[p->i] == '\'')
                p->i++, k++;
            static const char *primes[] = {"′", "″", "‴", "⁗"};
            folio_buf b = {0};
            for (int j = k; j > 0; j -= 4)
                buf_puts(&b, primes[(j > 4 ? 4 : j) - 1]);
            sc->c = op(p, sst, b.data, FOLIO_MATH_F_PRIME);
            buf_free(&b);
            continue;
        }
        p->i++;
        folio_math *arg = parse_arg(p);
        if (!arg) {
            sc->flags |= 0; /* keep the base; the script is the error */
            arg = fail(p, sst);
        }
        if (c == '_')
            sc->b = arg;
        else if (sc->c) /* x'^2: the prime and the power share the place */
            sc->c = row_of(p, sc->c->src, sc->c, arg);
        else
            sc->c = arg;
    }
    if (!sc) return base;
    folio_math *b = single(sc->a);
    unsigned f = b ? b->flags : 0;
    if (!(f & FOLIO_MATH_F_NOLIMITS) &&
        (f & (FOLIO_MATH_F_MOVABLE | FOLIO_MATH_F_LIMITS)))
        sc->flags |= FOLIO_MATH_F_LIMITS;
    fin(p, sc, start);
    return sc;
}

static folio_math *parse_cmd(rd *p, int stops, size_t start)
{
    const char *name;
    size_t len = cs_name(p, &name);
    p->i += 1 + len;
    const cmd *k = len ? lookup(name, len) : NULL;
    if (!k) return fail(p, start);
    folio_math *m, *x, *y;
    size_t tl;
    char *tx;
    switch (k->kind) {
    case K_SYM:
        if (k->cls == C_I || k->cls == C_N) {
            m = mktext(p, FOLIO_MATH_IDENT, start, k->u, strlen(k->u));
            m->variant = (unsigned char)(p->variant      ? p->variant
                                         : k->cls == C_N ? FOLIO_MATH_V_NORMAL
                                                         : 0);
            return m;
        }
        return op(p, start, k->u, cls_flags(k->cls));
    case K_FUNC:
        m = mktext(p, FOLIO_MATH_IDENT, start, k->u, strlen(k->u));
        m->flags =
            FOLIO_MATH_F_FUNC | (k->cls == C_FL ? FOLIO_MATH_F_MOVABLE : 0);
        return m;
    case K_BIGOP:
        return op(p, start, k->u,
                  FOLIO_MATH_F_LARGE |
                      (k->cls == C_L ? FOLIO_MATH_F_MOVABLE : 0));
    case K_FONT: {
        int save = p->variant;
        p->variant = k->arg;
        x = parse_arg(p);
        p->variant = save;
        if (!x) return fail(p, start);
        return merge_letters(p, x);
    }
    case K_TEXT:
        tx = raw_arg(p, &tl);
        if (!tx) return fail(p, start);
        m = mk(p, FOLIO_MATH_TEXT, start);
        m->text = tx;
        m->variant = (unsigned char)k->arg;
        return m;
    case K_SWITCH:
        p->variant = k->arg;
        return NULL;
    case K_ACCENT:
        x = parse_arg(p);
        if (!x) return fail(p, start);
        m = mktext(p, FOLIO_MATH_ACCENT, start, k->u, strlen(k->u));
        m->a = x;
        if (k->arg & 1) m->flags |= FOLIO_MATH_F_UNDER;
        if (k->arg & 2) m->flags |= FOLIO_MATH_F_STRETCHY;
        if (k->arg & 4) m->flags |= FOLIO_MATH_F_LIMITS;
        return m;
    case K_FRAC:
    case K_BINOM:
        x = parse_arg(p);
        y = x ? parse_arg(p) : NULL;
        if (!y) return fail(p, start);
        m = mk(p, FOLIO_MATH_FRAC, start);
        m->a = x;
        m->b = y;
        m->size = k->arg;
        if (k->kind == K_BINOM) {
            m->flags = FOLIO_MATH_F_BINOM;
            m->text = "(";
            m->text2 = ")";
        }
        return m;
    case K_SQRT:
        if (opt_arg(p, &y)) return fail(p, start);
        x = parse_arg(p);
        if (!x) return fail(p, start);
        m = mk(p, FOLIO_MATH_SQRT, start);
        m->a = x;
        m->b = y;
        return m;
    case K_LEFT: {
        const char *open = parse_delim(p);
        if (!open) return fail(p, start);
        x = parse_list(p, S_RIGHT);
        if (!cs_is(p, "right")) {
            skip_to_group_end(p);
            return fail(p, start);
        }
        p->i += 6;
        const char *close = parse_delim(p);
        if (!close) return fail(p, start);
        m = mk(p, FOLIO_MATH_FENCED, start);
        m->a = x;
        m->text = open;
        m->text2 = close;
        return m;
    }
    case K_RIGHT:
        parse_delim(p);
        return fail(p, start);
    case K_MIDDLE: {
        const char *d = parse_delim(p);
        if (!d) return fail(p, start);
        return op(p, start, d, FOLIO_MATH_F_MIDDLE | FOLIO_MATH_F_STRETCHY);
    }
    case K_BIG: {
        const char *d = parse_delim(p);
        if (!d) return fail(p, start);
        m = op(p, start, d, cls_flags(k->cls) | FOLIO_MATH_F_STRETCHY);
        m->size = k->arg;
        return m;
    }
    case K_SPACE:
        m = mk(p, FOLIO_MATH_SPACE, start);
        m->size = k->arg;
        return m;
    case K_BEGIN:
        return parse_env(p, start);
    case K_END:
        env_name(p, &name);
        return fail(p, start);
    case K_NOT:
        x = parse_arg(p);
        if (!x) return fail(p, start);
        return negate(p, start, x);
    case K_OVERSET:
    case K_UNDERSET:
        x = parse_arg(p);
        y = x ? parse_arg(p) : NULL;
        if (!y) return fail(p, start);
        m = mk(p, FOLIO_MATH_SCRIPT, start);
        m->flags = FOLIO_MATH_F_LIMITS;
        m->a = y;
        if (k->kind == K_OVERSET)
            m->c = x;
        else
            m->b = x;
        return m;
    case K_OPNAME: {
        int starred = star(p);
        tx = raw_arg(p, &tl);
        if (!tx) return fail(p, start);
        m = mk(p, FOLIO_MATH_IDENT, start);
        m->text = tx;
        m->variant = FOLIO_MATH_V_NORMAL;
        m->flags = FOLIO_MATH_F_FUNC | (starred ? FOLIO_MATH_F_MOVABLE : 0);
        return m;
    }
    case K_MATHOP:
        x = parse_arg(p);
        if (!x) return fail(p, start);
        x = single(merge_letters(p, x));
        if (x->kind == FOLIO_MATH_IDENT) {
            x->flags |= FOLIO_MATH_F_FUNC | FOLIO_MATH_F_MOVABLE;
            x->variant = FOLIO_MATH_V_NORMAL;
        } else if (x->kind == FOLIO_MATH_OP)
            x->flags |= FOLIO_MATH_F_LARGE | FOLIO_MATH_F_MOVABLE;
        else
            x->flags |= FOLIO_MATH_F_MOVABLE;
        return x;
    case K_MATHCLASS:
        x = parse_arg(p);
        if (!x) return fail(p, start);
        y = single(x);
        if (y->kind == FOLIO_MATH_OP || y->kind == FOLIO_MATH_IDENT) {
            y->kind = FOLIO_MATH_OP;
            y->flags = cls_flags(k->cls);
            return y;
        }
        return x;
    case K_LIMITS:
    case K_NOLIMITS:
    case K_IGNORE:
    case K_STYLE: /* reached only as an argument: no effect */
        return NULL;
    case K_COLOR:
        if (!raw_arg(p, &tl)) return fail(p, start);
        return NULL;
    case K_TEXTCOLOR:
        if (!raw_arg(p, &tl)) return fail(p, start);
        if (k->arg) { /* \colorbox{c}{text} */
            tx = raw_arg(p, &tl);
            if (!tx) return fail(p, start);
            m = mk(p, FOLIO_MATH_TEXT, start);
            m->text = tx;
            return m;
        }
        x = parse_arg(p);
        return x ? x : fail(p, start);
    case K_SKIPARG:
        skip_ws(p);
        if (!at_end(p) && p->s[p->i] == '{' && !raw_arg(p, &tl))
            return fail(p, start);
        return NULL;
    case K_TAG: {
        int starred = star(p);
        tx = raw_arg(p, &tl);
        if (!tx) return fail(p, start);
        m = mk(p, FOLIO_MATH_TEXT, start);
        if (starred)
            m->text = tx;
        else {
            char *s = arena_alloc(p->a, tl + 3);
            s[0] = '(';
            memcpy(s + 1, tx, tl);
            s[tl + 1] = ')';
            m->text = s;
        }
        m->flags = FOLIO_MATH_F_TAG;
        return m;
    }
    case K_OVER: /* only reached as an argument */
        return fail(p, start);
    case K_PMOD:
    case K_MOD: {
        x = NULL;
        if (k->kind == K_PMOD) {
            x = parse_arg(p);
            if (!x) return fail(p, start);
        }
        m = mk(p, FOLIO_MATH_ROW, start);
        folio_math *t = NULL, *sp = mk(p, FOLIO_MATH_SPACE, start);
        sp->size = k->kind == K_PMOD ? 12 : 18;
        append(m, &t, sp);
        if (x) append(m, &t, op(p, start, "(", FOLIO_MATH_F_OPEN));
        y = mktext(p, FOLIO_MATH_IDENT, start, "mod", 3);
        y->flags = FOLIO_MATH_F_FUNC;
        append(m, &t, y);
        sp = mk(p, FOLIO_MATH_SPACE, start);
        sp->size = 6;
        append(m, &t, sp);
        if (x) {
            append(m, &t, x);
            append(m, &t, op(p, start, ")", FOLIO_MATH_F_CLOSE));
        }
        return m;
    }
    case K_BMOD:
        return op(p, start, "mod", FOLIO_MATH_F_BIN);
    case K_SUBSTACK:
        skip_ws(p);
        if (at_end(p) || p->s[p->i] != '{') return fail(p, start);
        p->i++;
        x = parse_table(p, S_BRACE);
        if (at_end(p)) return fail(p, start);
        p->i++;
        x->flags |= FOLIO_MATH_F_SMALL;
        x->text = "c";
        x->text2 = "\t"; /* no fences */
        fin(p, x, start);
        return x;
    case K_BOXED:
    case K_PHANTOM:
        x = parse_arg(p);
        if (!x) return fail(p, start);
        m = mk(p, FOLIO_MATH_ROW, start);
        m->first = x;
        m->flags =
            k->kind == K_BOXED ? FOLIO_MATH_F_BOXED : FOLIO_MATH_F_PHANTOM;
        return m;
    case K_HSPACE: {
        skip_ws(p);
        if (!k->arg) star(p);
        int mu = parse_length(p, !k->arg);
        if (mu <= -1000) return fail(p, start);
        m = mk(p, FOLIO_MATH_SPACE, start);
        m->size = mu;
        return m;
    }
    case K_XARROW:
        if (opt_arg(p, &y)) return fail(p, start);
        x = parse_arg(p);
        if (!x) return fail(p, start);
        m = mk(p, FOLIO_MATH_SCRIPT, start);
        m->flags = FOLIO_MATH_F_LIMITS;
        m->a = op(p, start, k->u, FOLIO_MATH_F_REL | FOLIO_MATH_F_STRETCHY);
        m->b = y;
        m->c = x->first || x->kind != FOLIO_MATH_ROW ? x : NULL;
        return m;
    case K_NEWLINE: /* a line break outside a table: a space */
        m = mk(p, FOLIO_MATH_SPACE, start);
        m->size = 6;
        return m;
    }
    (void)stops;
    return fail(p, start);
}

static int is_sym_cp(uint32_t cp)
{
    return (cp >= 0x2190 && cp <= 0x23FF) || (cp >= 0x27C0 && cp <= 0x27FF) ||
           (cp >= 0x2900 && cp <= 0x2AFF) || cp == 0xB1 || cp == 0xD7 ||
           cp == 0xF7 || cp == 0xAC || (cp >= 0x2032 && cp <= 0x2037);
}

static int is_letter_cp(uint32_t cp)
{
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x370 && cp <= 0x3FF) || (cp >= 0x1D400 && cp <= 0x1D7FF) ||
           (cp >= 0x2100 && cp <= 0x214F);
}

static folio_math *parse_atom(rd *p, int stops, int one)
{
    skip_ws(p);
    size_t start = p->i;
    if (at_end(p)) return NULL;
    if (p->depth >= FOLIO_MATH_MAX_DEPTH) {
        skip_to_group_end(p);
        return fail(p, start);
    }
    p->depth++;
    folio_math *m = NULL;
    unsigned char c = (unsigned char)p->s[p->i];
    if (c == '{') {
        p->i++;
        folio_math *body = parse_list(p, S_BRACE);
        if (at_end(p))
            m = fail(p, start);
        else {
            p->i++;
            m = body;
            fin(p, m, start);
        }
    } else if (c == '\\') {
        m = parse_cmd(p, stops, start);
    } else if ((c >= '0' && c <= '9') ||
               (c == '.' && p->i + 1 < p->n && p->s[p->i + 1] >= '0' &&
                p->s[p->i + 1] <= '9')) {
        p->i++;
        if (!one) {
            while (p->i < p->n &&
                   ((p->s[p->i] >= '0' && p->s[p->i] <= '9') ||
                    (p->s[p->i] == '.' && p->i + 1 < p->n &&
                     p->s[p->i + 1] >= '0' && p->s[p->i + 1] <= '9')))
                p->i++;
        }
        m = mktext(p, FOLIO_MATH_NUMBER, start, p->s + start, p->i - start);
        m->variant = (unsigned char)p->variant;
    } else if (is_letter((char)c)) {
        p->i++;
        m = mktext(p, FOLIO_MATH_IDENT, start, p->s + start, 1);
        m->variant = (unsigned char)p->variant;
    } else if (c < 0x80) {
        p->i++;
        const char *u = NULL;
        unsigned f = 0;
        switch (c) {
        case '+':
            u = "+", f = FOLIO_MATH_F_BIN;
            break;
        case '-':
            u = "−", f = FOLIO_MATH_F_BIN;
            break;
        case '*':
            u = "∗", f = FOLIO_MATH_F_BIN;
            break;
        case '=':
        case '<':
        case '>':
        case ':':
            f = FOLIO_MATH_F_REL;
            break;
        case ',':
        case ';':
            f = FOLIO_MATH_F_PUNCT;
            break;
        case '(':
        case '[':
            f = FOLIO_MATH_F_OPEN;
            break;
        case ')':
        case ']':
        case '!':
        case '?':
            f = FOLIO_MATH_F_CLOSE;
            break;
        case '~':
            m = mk(p, FOLIO_MATH_SPACE, start);
            m->size = 5;
            break;
        case '}':
        case '&':
        case '#':
        case '^':
        case '_':
        case '$':
            m = fail(p, start);
            break;
        default:
            break;
        }
        if (!m) {
            if (!u) u = arena_strndup(p->a, p->s + start, 1);
            m = op(p, start, u, f);
        }
        if (c < 0x20 && c != '\t') m->text = "\xEF\xBF\xBD";
    } else {
        uint32_t cp;
        p->i += text_utf8_next(p->s + p->i, p->n - p->i, &cp);
        if (is_sym_cp(cp))
            m = mktext(p, FOLIO_MATH_OP, start, p->s + start, p->i - start),
            m->flags = FOLIO_MATH_F_REL;
        else if (is_letter_cp(cp))
            m = mktext(p, FOLIO_MATH_IDENT, start, p->s + start, p->i - start),
            m->variant = (unsigned char)p->variant;
        else {
            /* A run of other text (Hangul, CJK...) as text. */
            while (p->i < p->n && (unsigned char)p->s[p->i] >= 0x80) {
                size_t k = text_utf8_next(p->s + p->i, p->n - p->i, &cp);
                if (is_sym_cp(cp) || is_letter_cp(cp)) break;
                p->i += k;
            }
            m = mktext(p, FOLIO_MATH_TEXT, start, p->s + start, p->i - start);
        }
    }
    p->depth--;
    if (m && m->kind != FOLIO_MATH_ROW && m->kind != FOLIO_MATH_TABLE &&
        m->kind != FOLIO_MATH_IDENT)
        fin(p, m, start);
    else if (m && !m->srclen)
        fin(p, m, start);
    return m;
}

static folio_math *parse_list(rd *p, int stops)
{
    size_t start = p->i;
    folio_math *row = mk(p, FOLIO_MATH_ROW, start), *tail = NULL;
    int saved = p->variant;
    for (;;) {
        skip_ws(p);
        if (at_end(p)) break;
        char c = p->s[p->i];
        if (c == '}' && (stops & S_BRACE)) break;
        if (c == ']' && (stops & S_BRACKET)) break;
        if (c == '&' && (stops & S_CELL)) break;
        if (c == '\\') {
            const char *name;
            size_t len = cs_name(p, &name);
            const cmd *k = len ? lookup(name, len) : NULL;
            if (k && k->kind == K_NEWLINE && (stops & S_CELL)) break;
            if (k && k->kind == K_RIGHT && (stops & S_RIGHT)) break;
            if (k && k->kind == K_END && (stops & S_END)) break;
            if (k && (k->kind == K_OVER || k->kind == K_STYLE)) {
                if (p->depth >= FOLIO_MATH_MAX_DEPTH) {
                    size_t st = p->i;
                    skip_to_group_end(p);
                    append(row, &tail, fail(p, st));
                    break;
                }
                size_t st = p->i;
                p->i += 1 + len;
                p->depth++;
                folio_math *rest = parse_list(p, stops);
                p->depth--;
                folio_math *m;
                if (k->kind == K_STYLE) {
                    m = mk(p, FOLIO_MATH_STYLE, st);
                    m->a = rest;
                    m->size = k->arg;
                    append(row, &tail, m);
                    break;
                }
                fin(p, row, start);
                m = mk(p, FOLIO_MATH_FRAC, start);
                m->a = row;
                m->b = rest;
                if (k->arg) {
                    m->flags = FOLIO_MATH_F_BINOM;
                    if (k->arg == 1) m->text = "(", m->text2 = ")";
                }
                row = mk(p, FOLIO_MATH_ROW, start);
                row->first = m;
                break;
            }
        }
        append(row, &tail, parse_scripted(p, stops));
    }
    p->variant = saved;
    fin(p, row, start);
    return row;
}

void tex_strip_delims(const char *s, size_t len, size_t *start, size_t *end,
                      int *display)
{
    *start = 0;
    *end = len;
    *display = 0;
    /* kramdown posts escape the backslash: "\\[...\\]", "\\(...\\)". */
    if (len >= 6 && !memcmp(s, "\\\\[", 3) && !memcmp(s + len - 3, "\\\\]", 3))
        *start = 3, *end = len - 3, *display = 1;
    else if (len >= 6 && !memcmp(s, "\\\\(", 3) &&
             !memcmp(s + len - 3, "\\\\)", 3))
        *start = 3, *end = len - 3;
    else if (len >= 4 && !memcmp(s, "$$", 2) && !memcmp(s + len - 2, "$$", 2))
        *start = 2, *end = len - 2, *display = 1;
    else if (len >= 4 && !memcmp(s, "\\[", 2) && !memcmp(s + len - 2, "\\]", 2))
        *start = 2, *end = len - 2, *display = 1;
    else if (len >= 4 && !memcmp(s, "\\(", 2) && !memcmp(s + len - 2, "\\)", 2))
        *start = 2, *end = len - 2;
    else if (len >= 2 && s[0] == '$' && s[len - 1] == '$')
        *start = 1, *end = len - 1;
}

void tex_parse(folio_tex *t, const char *src, size_t len)
{
    memset(t, 0, sizeof *t);
    rd p = {.t = t, .a = &t->arena};
    size_t clean_len;
    char *clean = text_sanitize_utf8(src, len, &clean_len, 0, NULL, NULL);
    if (clean) {
        src = arena_strndup(&t->arena, clean, clean_len);
        len = clean_len;
        free(clean);
    }
    t->src = src;
    t->srclen = len;
    p.s = src;
    p.n = len;
    if (len > FOLIO_MATH_MAX_BYTES) { /* too big to be a formula */
        p.i = len;
        folio_math *row = mk(&p, FOLIO_MATH_ROW, 0);
        row->first = fail(&p, 0);
        t->root = row;
        return;
    }
    folio_math *tb = parse_table(&p, 0);
    folio_math *root = tb;
    if (!tb->first->next && !tb->first->first->next)
        root = tb->first->first; /* one cell: a plain row */
    else {
        tb->size = FOLIO_MATH_ENV_GATHER;
        tb->text = "c";
        for (folio_math *r = tb->first; r; r = r->next)
            if (r->first && r->first->next) {
                tb->size = FOLIO_MATH_ENV_ALIGN;
                tb->text = "rl";
            }
    }
    if (root->kind != FOLIO_MATH_ROW) {
        folio_math *row = mk(&p, FOLIO_MATH_ROW, 0);
        row->first = root;
        fin(&p, row, 0);
        root = row;
    }
    t->root = root;
}

void tex_free(folio_tex *t)
{
    arena_free(&t->arena);
    t->root = NULL;
}

int tex_to_mathml(folio_buf *out, const char *span, size_t len, int display)
{
    size_t s, e;
    int d;
    tex_strip_delims(span, len, &s, &e, &d);
    folio_tex t;
    tex_parse(&t, span + s, e - s);
    mathml_write(out, &t, display >= 0 ? display : d);
    int errors = t.errors;
    tex_free(&t);
    return errors;
}

int tex_to_text(folio_buf *out, const char *span, size_t len)
{
    size_t s, e;
    int d;
    tex_strip_delims(span, len, &s, &e, &d);
    folio_tex t;
    tex_parse(&t, span + s, e - s);
    mathtext_write(out, &t);
    int errors = t.errors;
    tex_free(&t);
    return errors;
}

folio_tex *tex_new(const char *span, size_t len)
{
    size_t s, e;
    int d;
    tex_strip_delims(span, len, &s, &e, &d);
    folio_tex *t = malloc(sizeof *t);
    if (!t) folio_oom();
    tex_parse(t, span + s, e - s);
    t->display = d;
    return t;
}

void tex_delete(folio_tex *t)
{
    if (!t) return;
    tex_free(t);
    free(t);
}

/* The host's math_parse: the doc is the first member, so math_free can
 * find the arena that owns the tree. */
typedef struct tex_hold {
    folio_math_doc doc;
    folio_tex t;
} tex_hold;

const folio_math_doc *tex_doc_new(const char *span, size_t len)
{
    size_t s, e;
    int d;
    tex_strip_delims(span, len, &s, &e, &d);
    tex_hold *h = malloc(sizeof *h);
    if (!h) folio_oom();
    tex_parse(&h->t, span + s, e - s);
    h->t.display = d;
    h->doc.root = h->t.root;
    h->doc.tex = h->t.src; /* the span's, or a repaired copy in the arena */
    h->doc.texlen = h->t.srclen;
    h->doc.errors = h->t.errors;
    h->doc.display = d;
    return &h->doc;
}

void tex_doc_free(const folio_math_doc *doc)
{
    if (!doc) return;
    tex_hold *h = (tex_hold *)(void *)doc;
    tex_free(&h->t);
    free(h);
}
