#!/usr/bin/env python3
"""A fake GitHub REST API for `buildsleuth comment`'s tests.

Python 3 standard library only; binds 127.0.0.1 only. Serves what the
comment command uses: GET /user, listing the comments of an issue or pull
request (paginated with a Link header), creating and editing comments. Its
state and the requests it saw are read and changed through /_ control
endpoints (no auth, never recorded). See README.md beside this file.

On start it prints exactly one line "PORT <n>" to stdout, then serves until
SIGTERM/SIGINT, until the process that started it has gone, or, only when
--lifetime is given, until that many seconds have passed (exit 0 in each case).
"""

import argparse
import datetime as dt
import json
import os
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LIST_RE = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/([0-9]+)/comments$")
EDIT_RE = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/comments/([0-9]+)$")
FORBIDDEN = {
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest/issues/comments",
    "status": "403",
}


def now():
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class State:
    def __init__(self, token, login, max_per_page):
        self.lock = threading.Lock()
        self.token = token          # compared, never stored in records
        self.login = login          # the user the token belongs to
        self.max_per_page = max_per_page
        self.forbid = "none"        # none | write | all | user
        self.fail = None            # {"method", "status", "times"}: fail those requests
        self.comments = {}          # (owner/repo, number) -> [comment]
        self.next_id = 1000
        self.requests = []

    def new_comment(self, repo, number, login, body, base):
        self.next_id += 1
        stamp = now()
        c = {
            "id": self.next_id,
            "node_id": "IC_%d" % self.next_id,
            "html_url": "https://github.example/%s/pull/%d#issuecomment-%d" % (repo, number, self.next_id),
            "url": "%s/repos/%s/issues/comments/%d" % (base, repo, self.next_id),
            "issue_url": "%s/repos/%s/issues/%d" % (base, repo, number),
            "user": {"login": login, "id": abs(hash(login)) % 100000,
                     "type": "Bot" if login.endswith("[bot]") else "User"},
            "body": body,
            "created_at": stamp,
            "updated_at": stamp,
            "author_association": "MEMBER",
        }
        self.comments.setdefault((repo, number), []).append(c)
        return c

    def find(self, cid):
        for (repo, number), items in self.comments.items():
            for c in items:
                if c["id"] == cid:
                    return repo, c
        return None, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-github/1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fake_github: " + (fmt % args) + "\n")

    # --- plumbing --------------------------------------------------------

    def send_json(self, status, obj, headers=None):
        body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        return status

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def base(self):
        return "http://%s:%d" % self.server.server_address[:2]

    def auth_ok(self):
        h = self.headers.get("Authorization") or ""
        st = self.server.state
        return h in ("Bearer " + st.token, "token " + st.token)

    # --- control endpoints ---------------------------------------------

    def control(self, method, path, query):
        st = self.server.state
        if method == "GET" and path == "/_requests":
            with st.lock:
                return self.send_json(200, {"requests": list(st.requests)})
        if method == "GET" and path == "/_comments":
            repo = query.get("repo", [""])[0]
            number = int(query.get("issue", ["0"])[0])
            with st.lock:
                return self.send_json(200, {"comments": list(st.comments.get((repo, number), []))})
        if method == "POST" and path == "/_reset":
            with st.lock:
                st.requests.clear()
                if query.get("all"):
                    st.comments.clear()
                    st.forbid = "none"
                    st.fail = None
            return self.send_json(200, {"ok": True})
        if method == "POST" and path == "/_seed":
            spec = json.loads(self.read_body() or b"{}")
            with st.lock:
                made = [st.new_comment(spec["repo"], int(spec["issue"]), c["login"], c["body"], self.base())
                        for c in spec.get("comments", [])]
            return self.send_json(200, {"ids": [c["id"] for c in made]})
        if method == "POST" and path == "/_mode":
            spec = json.loads(self.read_body() or b"{}")
            with st.lock:
                if "forbid" in spec:
                    st.forbid = spec["forbid"]
                if "max_per_page" in spec:
                    st.max_per_page = int(spec["max_per_page"])
                if "login" in spec:
                    st.login = spec["login"]
                if "fail" in spec:
                    st.fail = spec["fail"]
            return self.send_json(200, {"ok": True})
        return self.send_json(404, {"message": "Not Found"})

    # --- the API ----------------------------------------------------------

    def api(self, method, path, query, body):
        st = self.server.state
        if not self.auth_ok():
            return self.send_json(401, {"message": "Bad credentials"})
        with st.lock:
            fail = st.fail
            if fail and fail.get("method", method) == method and fail.get("times", 1) > 0:
                fail["times"] = fail.get("times", 1) - 1
            else:
                fail = None
        if fail:
            return self.send_json(int(fail.get("status", 502)), {"message": "Server Error"})
        if method == "GET" and path == "/user":
            if st.forbid in ("user", "all"):
                return self.send_json(403, FORBIDDEN)
            return self.send_json(200, {"login": st.login, "id": 1, "type": "User"})
        m = LIST_RE.match(path)
        if m:
            repo, number = "%s/%s" % (m.group(1), m.group(2)), int(m.group(3))
            if st.forbid == "all" or (method == "POST" and st.forbid == "write"):
                return self.send_json(403, FORBIDDEN)
            if method == "GET":
                try:
                    per_page = min(int(query.get("per_page", ["30"])[0]), 100, st.max_per_page)
                    page = int(query.get("page", ["1"])[0])
                except ValueError:
                    return self.send_json(422, {"message": "Invalid page"})
                with st.lock:
                    items = list(st.comments.get((repo, number), []))
                last = max(1, (len(items) + per_page - 1) // per_page)
                chunk = items[(page - 1) * per_page:page * per_page]
                links = []
                url = "%s%s?per_page=%d&page=%%d" % (self.base(), path, int(query.get("per_page", ["30"])[0]))
                if page < last:
                    links.append('<%s>; rel="next"' % (url % (page + 1)))
                    links.append('<%s>; rel="last"' % (url % last))
                if page > 1:
                    links.append('<%s>; rel="first"' % (url % 1))
                    links.append('<%s>; rel="prev"' % (url % (page - 1)))
                return self.send_json(200, chunk, {"Link": ", ".join(links)} if links else None)
            if method == "POST":
                try:
                    text = json.loads(body)["body"]
                except (ValueError, KeyError, TypeError):
                    return self.send_json(422, {"message": "Invalid request"})
                with st.lock:
                    c = st.new_comment(repo, number, st.login, text, self.base())
                return self.send_json(201, c)
            return self.send_json(405, {"message": "Method not allowed"})
        m = EDIT_RE.match(path)
        if m:
            if st.forbid in ("write", "all"):
                return self.send_json(403, FORBIDDEN)
            cid = int(m.group(3))
            if method != "PATCH":
                return self.send_json(405, {"message": "Method not allowed"})
            try:
                text = json.loads(body)["body"]
            except (ValueError, KeyError, TypeError):
                return self.send_json(422, {"message": "Invalid request"})
            with st.lock:
                _, c = st.find(cid)
                if c is None:
                    return self.send_json(404, {"message": "Not Found"})
                c["body"] = text
                c["updated_at"] = now()
                return self.send_json(200, c)
        return self.send_json(404, {"message": "Not Found"})

    def handle_any(self, method):
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path.startswith("/_"):
            return self.control(method, parts.path, query)
        body = self.read_body()
        st = self.server.state
        record = {
            "method": method,
            "path": parts.path,
            "query": {k: v[-1] for k, v in query.items()},
            "auth_present": "Authorization" in self.headers,
            "auth_ok": self.auth_ok(),
            "user_agent": self.headers.get("User-Agent"),
            "accept": self.headers.get("Accept"),
            "api_version": self.headers.get("X-GitHub-Api-Version"),
            "content_type": self.headers.get("Content-Type"),
            "header_names": sorted(k.lower() for k in self.headers.keys()),
            "body_len": len(body),
            "status": 0,
        }
        try:
            record["json"] = json.loads(body) if body else None
        except ValueError:
            record["json"] = "<not json>"
        try:
            record["status"] = self.api(method, parts.path, query, body)
        finally:
            with st.lock:
                st.requests.append(record)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: ephemeral)")
    ap.add_argument("--token", default="ghs_test_token", help="the only token accepted")
    ap.add_argument("--login", default="buildsleuth-bot", help="the token's user")
    ap.add_argument("--max-per-page", type=int, default=100, help="largest page served")
    ap.add_argument("--lifetime", type=float, default=None,
                    help="also exit after SECONDS (default: no limit; the server lives until it is "
                         "stopped or the process that started it has gone)")
    ap.add_argument("--verbose", action="store_true", help="log requests to stderr (never the token)")
    args = ap.parse_args()

    server = Server(("127.0.0.1", args.port), Handler)
    server.state = State(args.token, args.login, args.max_per_page)
    server.verbose = args.verbose
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    sys.stdout.write("PORT %d\n" % server.server_address[1])
    sys.stdout.flush()
    # No wall-clock limit by default (a slow test must never find its server
    # gone); once the parent has died nobody is left to stop us: exit.
    parent = os.getppid()
    deadline = None if args.lifetime is None else time.monotonic() + args.lifetime
    while not stop.is_set() and os.getppid() == parent and \
            (deadline is None or time.monotonic() < deadline):
        stop.wait(0.2)
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
