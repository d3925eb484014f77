// Layout facts of a document, printed into it (and posted to the frame
// around it, wrap-frame.html) for Chromium's --dump-dom:
// "DATE <date> <lines>" for every ISO date in a heading, the date line and
// the contents (lines: the line boxes it spans), and "CODE <indent> <lines>
// <hang>" for every source line of a code block (hang: the columns a
// wrapped line's continuations start at), "TAB <column> <measured>" for
// every tab (the column the text after it should start at, and the one it
// does), then "COPY same" when selecting
// a code block copies exactly its text.
window.addEventListener("load", function () {
    var out = ["WIDTH " + document.documentElement.clientWidth];
    function texts(el) {
        var w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), v = [], n;
        while ((n = w.nextNode())) v.push(n);
        return v;
    }
    // The line boxes of a range: distinct tops of its non-empty rects.
    function boxes(r) {
        var v = [];
        Array.prototype.forEach.call(r.getClientRects(), function (b) {
            if (b.width > 0) v.push(b);
        });
        return v;
    }
    function tops(v) {
        var t = {};
        v.forEach(function (b) { t[Math.round(b.top)] = 1; });
        return Object.keys(t).length;
    }
    var re = /\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?/g;
    document.querySelectorAll("h1, h2, h3, h4, h5, h6, .digest-date, nav a, .book-dates").forEach(function (el) {
        texts(el).forEach(function (t) {
            var m;
            re.lastIndex = 0;
            while ((m = re.exec(t.data))) {
                var r = document.createRange();
                r.setStart(t, m.index);
                r.setEnd(t, m.index + m[0].length);
                out.push("DATE " + m[0].replace(" ", "_") + " " + tops(boxes(r)));
            }
        });
    });
    document.querySelectorAll("pre").forEach(function (pre) {
        // Source lines over the pre's text nodes, however they are split.
        var nodes = texts(pre), pos = [];
        nodes.forEach(function (t) {
            for (var i = 0; i < t.data.length; i++) pos.push([t, i]);
        });
        var text = pre.textContent;
        var one = document.createRange();
        one.setStart(pos[0][0], pos[0][1]);
        one.setEnd(pos[0][0], pos[0][1] + 1);
        var cw = one.getBoundingClientRect().width;
        var start = 0;
        text.split("\n").forEach(function (line) {
            var end = start + line.length;
            if (line.trim().length) {
                var col = 0;
                for (var i = 0; i < line.length && (line[i] === " " || line[i] === "\t"); i++)
                    col = line[i] === "\t" ? Math.floor(col / 8) * 8 + 8 : col + 1;
                var r = document.createRange();
                r.setStart(pos[start][0], pos[start][1]);
                r.setEnd(pos[end - 1][0], pos[end - 1][1] + 1);
                var v = boxes(r), n = tops(v), first = v[0].left, top = Math.round(v[0].top);
                var cont = Infinity;
                v.forEach(function (b) { if (Math.round(b.top) > top) cont = Math.min(cont, b.left); });
                var hang = n > 1 ? Math.round((cont - first) / cw) : -1;
                out.push("CODE " + col + " " + n + " " + hang);
                // Each tab on the first row ends at its tab stop.
                var at = 0;
                for (var i = 0; i < line.length; i++) {
                    at = line[i] === "\t" ? Math.floor(at / 8) * 8 + 8 : at + 1;
                    if (line[i] !== "\t" || i + 1 >= line.length) continue;
                    var ch = document.createRange();
                    ch.setStart(pos[start + i + 1][0], pos[start + i + 1][1]);
                    ch.setEnd(pos[start + i + 1][0], pos[start + i + 1][1] + 1);
                    var b = ch.getBoundingClientRect();
                    if (Math.round(b.top) === top)
                        out.push("TAB " + at + " " + Math.round((b.left - first) / cw));
                }
            }
            start = end + 1;
        });
        var s = window.getSelection();
        s.removeAllRanges();
        var all = document.createRange();
        all.selectNodeContents(pre);
        s.addRange(all);
        out.push("COPY " + (s.toString() === text ? "same" : "differs " + JSON.stringify(s.toString())));
    });
    var p = document.createElementNS("http://www.w3.org/1999/xhtml", "pre");
    p.id = "wrap-result";
    p.textContent = "WRAP-RESULT\n" + out.join("\n") + "\nWRAP-END";
    document.body.appendChild(p);
    if (window.parent !== window) window.parent.postMessage(p.textContent, "*");
});
