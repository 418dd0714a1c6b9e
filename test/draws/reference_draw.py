#!/usr/bin/env python3
"""Independent re-implementation of docs/draw-spec.md (ssj-draw/1), standard library only.

Usage: reference_draw.py <file.json>
The file holds a JSON list of cases; each case is {"inputs": FrozenInputs, "provenance": SeedProvenance}.
Prints a JSON list of {"commitment", "seed", "ticketKey", "tickets": [[code, hex]], "results", "resultDigest"}.
Written from the spec, not from the TypeScript sources.
"""
import hashlib
import json
import sys

SPEC = "ssj-draw/1"


def cjson(v):
    # §2: sorted keys (code point), no whitespace, integers only, JSON escapes, UTF-8.
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)


def sha256(b):
    return hashlib.sha256(b).digest()


def digest_hex(v):
    return hashlib.sha256(cjson(v).encode("utf-8")).hexdigest()


def seed_of(inputs, commitment, prov):
    plan = inputs["seedPlan"]
    if plan["mode"] == "commitReveal":
        reveals = sorted(prov["reveals"], key=lambda r: r["department"])
        assert [r["department"] for r in reveals] == sorted(plan["departments"]), "reveals do not match the plan"
        for r in reveals:
            assert hashlib.sha256(bytes.fromhex(r["secret"])).hexdigest() == r["commitment"], "reveal mismatch"
        doc = {"purpose": SPEC + " seed", "commitment": commitment, "mode": "commitReveal",
               "reveals": [[r["department"], r["secret"]] for r in reveals]}
    else:
        doc = {"purpose": SPEC + " seed", "commitment": commitment, "mode": "external",
               "source": plan["source"], "reference": plan["reference"], "value": prov["value"]}
    return digest_hex(doc)


def key_of(seed, purpose):
    return sha256((SPEC + " " + purpose).encode("utf-8") + bytes.fromhex(seed))


def draw_targets(inputs, tkey):
    pool = inputs["pool"]
    codes, strata = pool["codes"], pool["strata"]
    tickets = {c: sha256(tkey + c.encode("utf-8")) for c in codes}
    subs = inputs["config"]["substitutes"]
    out = []
    for d in inputs["departments"]:
        scope = set(codes) if d["scope"]["kind"] == "all" else set(d["scope"]["codes"])
        excluded = {x["code"] for x in d["excluded"]}
        strata_out = []
        for k in "ABCD":
            cand = [c for i, c in enumerate(codes) if strata[i] == k and c in scope and c not in excluded]
            cand.sort(key=lambda c: (tickets[c], c.encode("utf-8")))
            n = len(cand)
            q = d["quotas"][k]
            if "ratio" in q:
                p, qq = (int(x) for x in q["ratio"].split("/"))
                quota = -(-n * p // qq)  # ceil(n·p/q)
            else:
                quota = q["count"]
            take = min(quota, n)
            rows = [[i + 1, c, tickets[c].hex()[:16]] for i, c in enumerate(cand[: take + subs])]
            strata_out.append({"stratum": k, "candidates": n, "quota": quota, "shortfall": quota - take,
                               "selected": rows[:take], "next": rows[take:]})
        out.append({"department": d["id"], "strata": strata_out})
    return out, tickets


def team_requirements(deps, rule):
    need = {d: rule["minPerDepartment"] for d in deps}
    total = rule["minPerDepartment"] * len(deps)
    i = 0
    while deps and total < rule["minTotal"]:
        need[deps[i]] += 1
        total += 1
        i = (i + 1) % len(deps)
    return need


def person_order(key, code, ids):
    return sorted(ids, key=lambda pid: (sha256(key + code.encode("utf-8") + b"\x00" + pid.encode("utf-8")), pid))


def draw_checks(inputs, seed, targets):
    insp = inputs["inspectors"]
    if insp is None:
        return None
    rule = inputs["config"]["team"]
    role = {d["id"]: d["role"] for d in inputs["departments"]}
    qual = {d["id"]: d["qualification"] for d in inputs["departments"]}
    district_of = dict(zip(inputs["pool"]["codes"], inputs["pool"]["districts"]))
    recused = {(r["inspectorId"], r["code"]) for r in insp["recusals"]}
    okey, xkey = key_of(seed, "officer"), key_of(seed, "expert")
    by_code = {}
    for t in targets:
        for s in t["strata"]:
            for _, code, _ in s["selected"]:
                by_code.setdefault(code, []).append(t["department"])
    checks = []
    for code in sorted(by_code):
        deps = sorted(set(by_code[code]), key=lambda d: (0 if role[d] == "lead" else 1, d))
        district = district_of[code]
        need = team_requirements(deps, rule)
        teams = []
        for d in deps:
            elig = [o["id"] for o in insp["officers"]
                    if o["active"] and o["department"] == d
                    and (qual[d] is None or qual[d] in o["qualifications"])
                    and any(district.startswith(p) for p in o["districts"])
                    and (o["id"], code) not in recused]
            order = person_order(okey, code, elig)
            r = need[d]
            teams.append({"department": d, "required": r, "officers": order[:r],
                          "reserve": order[r:r + rule["reserves"]], "shortfall": r - len(order[:r])})
        xorder = []
        if rule["experts"] > 0:
            xorder = person_order(xkey, code, [x["id"] for x in insp["experts"]
                                               if x["active"] and any(district.startswith(p) for p in x["districts"])
                                               and (x["id"], code) not in recused])
        e = rule["experts"]
        checks.append({"code": code, "district": district, "departments": teams,
                       "experts": {"required": e, "drawn": xorder[:e], "reserve": xorder[e:e + rule["reserves"]],
                                   "shortfall": e - len(xorder[:e])}})
    return checks


def run(case):
    inputs = case["inputs"]
    commitment = digest_hex(inputs)
    seed = seed_of(inputs, commitment, case["provenance"])
    tkey = key_of(seed, "ticket")
    targets, tickets = draw_targets(inputs, tkey)
    results = {"targets": targets, "checks": draw_checks(inputs, seed, targets)}
    return {"commitment": commitment, "seed": seed, "ticketKey": tkey.hex(),
            "tickets": [[c, tickets[c].hex()] for c in inputs["pool"]["codes"]],
            "results": results, "resultDigest": digest_hex(results)}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        cases = json.load(fh)
    json.dump([run(c) for c in cases], sys.stdout, ensure_ascii=False)
