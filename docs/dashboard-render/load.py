# Load for the dashboard picture: 12 simulated users against the demo's two nodes (ports 38080 and
# 38081, started with --plain-http-cookie --max-sessions 2): visits, logins, API calls on either
# node, bearer tokens checked and revoked, logouts, sign-out everywhere, forged cookies.
#   python3 load.py SECONDS
import http.cookiejar, urllib.request, urllib.parse, random, threading, time, json, sys
A, B = "http://127.0.0.1:38080", "http://127.0.0.1:38081"
stop = time.time() + float(sys.argv[1])
def client():
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    return op, jar
def req(op, url, data=None, headers=None):
    try:
        r = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode() if data is not None else None, headers=headers or {})
        with op.open(r, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except Exception as e:
        return 0, b""
def user_loop(seed):
    rnd = random.Random(seed)
    while time.time() < stop:
        op, jar = client()
        node = rnd.choice([A, B])
        req(op, node + "/")                      # anonymous visit
        if rnd.random() < 0.75:
            user = rnd.choice(["alice", "bob"])
            req(op, node + "/login", {"user": user, "password": "demo" if rnd.random() < 0.95 else "wrong"})
            for _ in range(rnd.randint(3, 12)):
                req(op, rnd.choice([A, B]) + "/api/me")
                time.sleep(rnd.uniform(0.01, 0.08))
            if rnd.random() < 0.4:
                st, body = req(op, node + "/api/token", {})
                try:
                    tok = json.loads(body)["access_token"]
                    for _ in range(rnd.randint(2, 6)):
                        req(op, rnd.choice([A, B]) + "/api/token/me", headers={"Authorization": "Bearer " + tok})
                    if rnd.random() < 0.5:
                        req(op, node + "/api/token/revoke", {"token": tok}, headers={"Authorization": "Bearer " + tok})
                        req(op, node + "/api/token/me", headers={"Authorization": "Bearer " + tok})
                except Exception:
                    pass
            r = rnd.random()
            if r < 0.45:
                req(op, rnd.choice([A, B]) + "/logout", {})
            elif r < 0.5:
                req(op, rnd.choice([A, B]) + "/logout-all", {})
        if rnd.random() < 0.1:                   # a forged cookie
            op2 = urllib.request.build_opener()
            req(op2, node + "/api/me", headers={"Cookie": "sessionkit-demo=forged*{x}:" + str(rnd.random())})
        time.sleep(rnd.uniform(0.05, 0.3))
threads = [threading.Thread(target=user_loop, args=(i,)) for i in range(12)]
[t.start() for t in threads]
[t.join() for t in threads]
