#!/usr/bin/env python3
"""Check a buildsleuth Markdown report as GitHub would show it.

usage: check_markdown_html.py REPORT.md REPORT.html ALLOWED_HREFS [--trimmed|--not-trimmed]

REPORT.html is REPORT.md rendered by cmark-gfm (--unsafe, so that raw HTML
shows; -e table -e autolink -e tagfilter -e strikethrough). Prints one line
per broken property ("FAIL <what>") and "ok <n> checks" otherwise; exits 1 on
any failure. The properties:

- the body is at most 65,536 bytes and starts with the marker line;
- only the elements buildsleuth writes appear: no <script>, <img>, <iframe>,
  no stray <details> (exactly the ones the Markdown opens itself);
- every link goes to a rule's docs URL (ALLOWED_HREFS, one a line);
- outside <pre>/<code>/<a>, the text has nothing GitHub would turn into a
  mention (@name, @org/team), an issue reference (#123) or an e-mail link;
- every line of every <pre> block is a quoted log line ("> 12 | ..."), so no
  log text closed a fence early, and each finding heading has its block;
- the findings table has 4 cells in every row, numbered 1, 2, 3...;
- the trimmed note is there exactly when asked for.
"""

import html.parser
import re
import sys

ALLOWED_TAGS = {
    "h3", "p", "strong", "em", "code", "pre", "table", "thead", "tbody", "tr", "th",
    "td", "details", "summary", "sub", "a", "br", "del",
}
NAME_AFTER_AT = re.compile(r"(?:^|[^\w`])@[A-Za-z0-9]")
ISSUE_REF = re.compile(r"(?:^|[^\w])#[0-9]")
EMAIL = re.compile(r"[A-Za-z0-9._%+-]@[A-Za-z0-9-]+\.[A-Za-z]")
QUOTED_LINE = re.compile(r"^[ >] *[0-9]+ \| ")
TRIMMED_NOTE = "Evidence was trimmed to fit GitHub's comment size limit"


class Walker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.tags = []
        self.hrefs = []
        self.outside = []       # text not inside pre/code/a
        self.pres = []          # text of each <pre>
        self.rows = []          # cells of each <tr>
        self.comments = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))
        if tag == "pre":
            self.pres.append("")
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th") and self.rows:
            self.rows[-1].append("")
        if tag not in ("br",):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack:
            top = self.stack.pop()
            if top == tag:
                break

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_data(self, data):
        if "pre" in self.stack and self.pres:
            self.pres[-1] += data
        if ("td" in self.stack or "th" in self.stack) and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data
        if not ({"pre", "code", "a"} & set(self.stack)):
            self.outside.append(data)


def main():
    md_path, html_path, hrefs_path = sys.argv[1:4]
    want_trimmed = sys.argv[4] if len(sys.argv) > 4 else None
    md = open(md_path, "rb").read()
    text = md.decode("utf-8")
    page = open(html_path, encoding="utf-8").read()
    allowed = {line.strip() for line in open(hrefs_path) if line.strip()}
    fails = []
    checks = 0

    def check(ok, what):
        nonlocal checks
        checks += 1
        if not ok:
            fails.append(what)

    check(len(md) <= 65536, "body is %d bytes, over 65,536" % len(md))
    check(text.startswith("<!-- buildsleuth:report -->\n"), "body does not start with the marker line")

    w = Walker()
    w.feed(page)
    w.close()
    bad = sorted({t for t in w.tags if t not in ALLOWED_TAGS})
    check(not bad, "unexpected elements: %s" % ", ".join(bad))
    low = page.lower()
    for needle in ("<script", "<img", "<iframe", "<style", "<svg", "<input", "<form", "href=\"javascript"):
        check(needle not in low, "%s in the HTML" % needle)
    attr = re.search(r"<[a-z][^<>]*\s(?:on[a-z]+|src|style|srcset)\s*=", low)
    check(not attr, "an element with a risky attribute: %r" % (attr.group(0) if attr else ""))
    opened = len(re.findall(r"^<details>$", text, re.M))
    check(w.tags.count("details") == opened,
          "%d <details> elements, the Markdown opens %d" % (w.tags.count("details"), opened))
    check(low.count("</details>") == opened, "%d </details> for %d <details>" % (low.count("</details>"), opened))
    check(w.tags.count("summary") == opened, "%d <summary> for %d <details>" % (w.tags.count("summary"), opened))
    for href in w.hrefs:
        check(href in allowed, "a link to %r, not a rule's docs URL" % href)
    outside = "".join(w.outside)
    for m in NAME_AFTER_AT.finditer(outside):
        check(False, "a mention outside code: %r" % outside[max(0, m.start() - 20):m.end() + 20])
    for m in ISSUE_REF.finditer(outside):
        check(False, "an issue reference outside code: %r" % outside[max(0, m.start() - 20):m.end() + 20])
    for m in EMAIL.finditer(outside):
        check(False, "an e-mail address outside code: %r" % outside[max(0, m.start() - 20):m.end() + 20])
    for i, pre in enumerate(w.pres):
        for line in pre.rstrip("\n").split("\n"):
            check(QUOTED_LINE.match(line), "<pre> %d holds a line that is not a quoted log line: %r" % (i + 1, line[:120]))
    headings = len(re.findall(r"^\*\*[0-9]+\. ", text, re.M))
    check(len(w.pres) == headings, "%d <pre> blocks for %d evidence headings" % (len(w.pres), headings))
    if w.rows:
        check(len(w.rows[0]) == 4, "the table header has %d cells" % len(w.rows[0]))
        for n, row in enumerate(w.rows[1:], 1):
            check(len(row) == 4, "table row %d has %d cells" % (n, len(row)))
            check(row and row[0].strip() == str(n), "table row %d is numbered %r" % (n, row[0] if row else None))
    if want_trimmed == "--trimmed":
        check(TRIMMED_NOTE in outside, "no trimmed note in a trimmed report")
    elif want_trimmed == "--not-trimmed":
        check(TRIMMED_NOTE not in outside, "a trimmed note in a report that was not trimmed")

    for f in fails:
        print("FAIL " + f)
    print("ok %d checks" % checks if not fails else "%d of %d checks failed" % (len(fails), checks))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
