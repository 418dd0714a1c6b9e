#!/usr/bin/env python3
"""Independent re-implementation of docs/draw-spec.md (ssj-draw/2), standard library only.

Written from the specification, not from the TypeScript sources.

Usage: reference_draw2.py <file.json>
The file holds a JSON list of cases. A case is either

  { "inputs": {"public": …, "private": …}, "provenance": Provenance, "drawAt": instant,
    "audit": {"seq", "hash"}, "proofs"?: [code, …], "steps"?: [Step, …] }

with Step one of (each may carry its own "audit", else the case's is used)
  { "kind": "target", "department", "out", "reason", "at" }
  { "kind": "inspector", "code", "department", "out", "reason", "at" }
  { "kind": "schedule", "reason": string | null, "visits": [...], "unscheduled": [...], "at" }

or { "manifest": FullManifest }: the steps are read from the manifest's records, every record is
recomputed and compared with the manifest's.

Prints a JSON list, one object per case: publicDigest, privateDigest, commitment, classRoot,
proofs [{proof, ok}], seed, ticketKey, officerKey, expertKey, teamKey, tickets [[code, hex]],
teamTickets [[code, hex]], results, publicResults, records [{record, digest}], head
(and, for a manifest, "matches": whether every recomputed record equals the manifest's).
"""
import hashlib
import json
import sys

SPEC = "ssj-draw/2"
CLASSES = "ABCD"


# §1–2 ---------------------------------------------------------------------------------------

def cjson(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)


def sha256(b):
    return hashlib.sha256(b).digest()


def H(v):
    return hashlib.sha256(cjson(v).encode("utf-8")).hexdigest()


def u8(s):
    return s.encode("utf-8")


# §3.3 class tree ------------------------------------------------------------------------------

ARITY = 4096


def class_salts(class_key, n):
    """§3.3: 16 bytes per pool entity from SHAKE256("ssj-draw/2 class salts" ‖ classKey)."""
    return hashlib.shake_256(u8("ssj-draw/2 class salts") + bytes.fromhex(class_key)).digest(16 * n) if n else b""


def class_leaf(salt, stratum, code):
    return sha256(b"\x00" + salt + u8(stratum) + u8(code))


def class_node(children):
    assert 1 <= len(children) <= ARITY
    return sha256(b"\x01" + b"".join(children))


def class_levels(public, private):
    codes, strata = public["pool"]["codes"], private["strata"]
    assert len(codes) == len(strata)
    salts = class_salts(private["classKey"], len(codes))
    level = [class_leaf(salts[16 * i:16 * i + 16], strata[i], c) for i, c in enumerate(codes)]
    levels = [level]
    while len(level) > 1:
        level = [class_node(level[j:j + ARITY]) for j in range(0, len(level), ARITY)]
        levels.append(level)
    return levels


def class_root(public, private):
    if not public["pool"]["codes"]:
        return sha256(b"\x01").hex()
    return class_levels(public, private)[-1][0].hex()


def class_proof(public, private, code):
    codes = public["pool"]["codes"]
    i = codes.index(code)
    levels = class_levels(public, private)
    path = []
    idx = i
    for level in levels[:-1]:
        start = idx - idx % ARITY
        run = level[start:start + ARITY]
        pos = idx - start
        path.append([pos, [h.hex() for k, h in enumerate(run) if k != pos]])
        idx //= ARITY
    salts = class_salts(private["classKey"], len(codes))
    return {"code": code, "class": private["strata"][i], "salt": salts[16 * i:16 * i + 16].hex(), "path": path}


def verify_class_proof(root, codes, proof):
    """§3.3: recompute the leaf and each run up to the root; the path must be that of codes[i]."""
    if proof["code"] not in codes or proof["class"] not in CLASSES:
        return False
    idx, count = codes.index(proof["code"]), len(codes)
    value = class_leaf(bytes.fromhex(proof["salt"]), proof["class"], proof["code"])
    for pos, siblings in proof["path"]:
        start = idx - idx % ARITY
        if pos != idx - start or len(siblings) != min(ARITY, count - start) - 1:
            return False
        sib = [bytes.fromhex(s) for s in siblings]
        value = class_node(sib[:pos] + [value] + sib[pos:])
        idx, count = idx // ARITY, -(-count // ARITY)
    return count == 1 and value.hex() == root


# §4 commitment ----------------------------------------------------------------------------------

def digests(inputs):
    pub, priv = H(inputs["public"]), H(inputs["private"])
    return pub, priv, H({"private": priv, "public": pub, "purpose": SPEC + " commitment"})


# §5 seed ----------------------------------------------------------------------------------------

def key_of(seed, purpose):
    return sha256(u8("ssj-draw/1 " + purpose) + bytes.fromhex(seed))


def seed_of(public, commitment, prov):
    plan = public["seedPlan"]
    assert prov["mode"] == plan["mode"], "provenance mode differs from the seed plan"
    if plan["mode"] == "commitReveal":
        reveals = prov["reveals"]
        deps = [r["department"] for r in reveals]
        assert deps == sorted(deps), "reveals not sorted by department"
        assert deps == plan["departments"], "reveals do not match the plan"
        last_commit = max(r["committedAt"] for r in reveals)
        for r in reveals:
            assert hashlib.sha256(bytes.fromhex(r["secret"])).hexdigest() == r["commitment"], "reveal mismatch"
            assert r["committedAt"] > public["frozenAt"], "committed before freeze"
            assert r["revealedAt"] >= last_commit, "revealed before the last commitment"
        return H({"commitment": commitment, "mode": "commitReveal", "purpose": SPEC + " seed",
                  "reveals": [[r["department"], r["secret"]] for r in reveals]})
    assert prov["source"] == plan["source"] and prov["reference"] == plan["reference"], "external plan mismatch"
    assert prov["publishedAt"] > public["frozenAt"], "published before freeze"
    return H({"commitment": commitment, "mode": "external", "publishedAt": prov["publishedAt"],
              "purpose": SPEC + " seed", "reference": prov["reference"], "source": prov["source"],
              "value": prov["value"]})


# §6 targets -------------------------------------------------------------------------------------

def quota_of(q, n):
    if "ratio" in q:
        p, qq = (int(x) for x in q["ratio"].split("/"))
        return -(-n * p // qq)
    return q["count"]


def candidates_of(public, private, dep, k, tickets):
    codes = public["pool"]["codes"]
    scope = None if dep["scope"]["kind"] == "all" else set(dep["scope"]["codes"])
    excluded = {x["code"] for x in dep["excluded"]}
    cand = [c for i, c in enumerate(codes)
            if private["strata"][i] == k and (scope is None or c in scope) and c not in excluded]
    cand.sort(key=lambda c: (tickets[c], u8(c)))
    return cand


def draw_targets(public, private, tickets):
    subs = public["config"]["substitutes"]
    out = []
    for d in public["departments"]:
        rows_k = []
        for k in CLASSES:
            cand = candidates_of(public, private, d, k, tickets)
            n = len(cand)
            quota = quota_of(d["quotas"][k], n)
            take = min(quota, n)
            rows = cand[:take + subs]
            rows_k.append({"stratum": k, "candidates": n, "quota": quota, "shortfall": quota - take,
                           "selected": rows[:take], "next": rows[take:]})
        out.append({"department": d["id"], "strata": rows_k})
    return out


# §8 public projection ---------------------------------------------------------------------------

def public_results(targets, tickets):
    out = []
    for t in targets:
        classes = [{"stratum": s["stratum"], "candidates": s["candidates"], "quota": s["quota"],
                    "shortfall": s["shortfall"], "selected": len(s["selected"]), "next": len(s["next"])}
                   for s in t["strata"]]
        order = lambda rows: sorted(rows, key=lambda c: (tickets[c], u8(c)))
        sel = order([c for s in t["strata"] for c in s["selected"]])
        nxt = order([c for s in t["strata"] for c in s["next"]])
        out.append({"department": t["department"], "classes": classes,
                    "selected": sel, "next": nxt})
    return {"targets": out}


# §7 teams ---------------------------------------------------------------------------------------

def requirements(deps, rule):
    need = {d: rule["minPerDepartment"] for d in deps}
    total = rule["minPerDepartment"] * len(deps)
    i = 0
    while deps and total < rule["minTotal"]:
        need[deps[i]] += 1
        total += 1
        i = (i + 1) % len(deps)
    return need


class Teams:
    """The state of §7 and §9.2: current checks with their teams and every person's load."""

    def __init__(self, public, private, seed):
        self.public, self.private = public, private
        self.insp = private["inspectors"]
        self.rule = public["config"]["team"]
        self.deps = {d["id"]: d for d in public["departments"]}
        self.district = dict(zip(public["pool"]["codes"], public["pool"]["districts"]))
        self.recused = {(r["inspectorId"], r["code"]) for r in self.insp["recusals"]}
        self.officers = {o["id"]: o for o in self.insp["officers"]}
        self.experts = {x["id"]: x for x in self.insp["experts"]}
        self.okey, self.xkey, self.tkey = key_of(seed, "officer"), key_of(seed, "expert"), key_of(seed, "team")
        self.load = {}
        self.checks = {}  # code -> check state
        self.removed = {}  # (code, department | "expert") -> people removed there by §9.2 (kept for the chain)

    # orders
    def person_order(self, key, code, ids):
        return sorted(ids, key=lambda pid: (sha256(key + u8(code) + b"\x00" + u8(pid)), u8(pid)))

    def officer_order(self, code, d):
        dep = self.deps[d]
        district = self.district[code]
        elig = [o["id"] for o in self.insp["officers"]
                if o["active"] and o["department"] == d
                and set(dep["requires"]) <= set(o["qualifications"])
                and any(district.startswith(p) for p in o["districts"])
                and (o["id"], code) not in self.recused]
        return self.person_order(self.okey, code, elig)

    def expert_order(self, code):
        district = self.district[code]
        elig = [x["id"] for x in self.insp["experts"]
                if x["active"] and any(district.startswith(p) for p in x["districts"])
                and (x["id"], code) not in self.recused]
        return self.person_order(self.xkey, code, elig)

    def team_ticket(self, code):
        return sha256(self.tkey + u8(code))

    def capacity(self, pid):
        p = self.officers.get(pid) or self.experts[pid]
        return p["capacity"]

    def free(self, pid):
        cap = self.capacity(pid)
        return cap is None or self.load.get(pid, 0) < cap

    def removed_at(self, code, d):
        return self.removed.setdefault((code, d), set())

    # a team: {"required", "members", "removed", "order", "reserve"}
    def fill(self, team):
        for pid in team["order"]:
            if len(team["members"]) >= team["required"]:
                break
            if pid in team["members"] or pid in team["removed"] or not self.free(pid):
                continue
            team["members"].append(pid)
            self.load[pid] = self.load.get(pid, 0) + 1

    def set_reserve(self, team, count):
        team["reserve"] = [pid for pid in team["order"]
                           if pid not in team["members"] and pid not in team["removed"] and self.free(pid)][:count]

    def release(self, pid):
        self.load[pid] -= 1

    def dep_order_key(self, d):
        return (0 if self.deps[d]["role"] == "lead" else 1, u8(d))

    def new_check(self, code, deps):
        check = {"code": code, "district": self.district[code], "teams": {}, "experts": None}
        check["deplist"] = sorted(deps, key=self.dep_order_key)
        need = requirements(check["deplist"], self.rule)
        for d in check["deplist"]:
            check["teams"][d] = {"required": need[d], "members": [], "removed": self.removed_at(code, d),
                                 "order": self.officer_order(code, d), "reserve": []}
        e = self.rule["experts"]
        check["experts"] = {"required": e, "members": [], "removed": self.removed_at(code, "expert"),
                            "order": self.expert_order(code) if e > 0 else [], "reserve": []}
        return check

    def draw(self, targets):
        by_code = {}
        for t in targets:
            for s in t["strata"]:
                for code in s["selected"]:
                    by_code.setdefault(code, []).append(t["department"])
        for code in by_code:
            self.checks[code] = self.new_check(code, by_code[code])
        for code in sorted(by_code, key=lambda c: (self.team_ticket(c), u8(c))):
            self.restaff(code)

    def result(self, code):
        c = self.checks[code]
        def shortfall(t):
            return max(0, t["required"] - len(t["members"]))
        return {"code": code, "district": c["district"],
                "departments": [{"department": d, "required": c["teams"][d]["required"],
                                 "officers": list(c["teams"][d]["members"]),
                                 "reserve": list(c["teams"][d]["reserve"]),
                                 "shortfall": shortfall(c["teams"][d])} for d in c["deplist"]],
                "experts": {"required": c["experts"]["required"], "drawn": list(c["experts"]["members"]),
                            "reserve": list(c["experts"]["reserve"]), "shortfall": shortfall(c["experts"])}}

    def results(self):
        return [self.result(c) for c in sorted(self.checks, key=u8)]

    # §9.2
    def leave(self, code, d):
        check = self.checks[code]
        for pid in check["teams"][d]["members"]:
            self.release(pid)
        del check["teams"][d]
        check["deplist"].remove(d)
        if not check["deplist"]:
            for pid in check["experts"]["members"]:
                self.release(pid)
            del self.checks[code]
            return False
        return True

    def join(self, code, d):
        if code not in self.checks:
            self.checks[code] = self.new_check(code, [d])
            return
        check = self.checks[code]
        check["deplist"] = sorted(check["deplist"] + [d], key=self.dep_order_key)
        check["teams"][d] = {"required": 0, "members": [], "removed": self.removed_at(code, d),
                             "order": self.officer_order(code, d), "reserve": []}

    def restaff(self, code):
        """Requirements for the current departments; every team (and the experts) topped up from
        its order, keeping who is on it; then its reserve and shortfall."""
        check = self.checks[code]
        need = requirements(check["deplist"], self.rule)
        for d in check["deplist"]:
            team = check["teams"][d]
            team["required"] = need[d]
            self.fill(team)
            self.set_reserve(team, self.rule["reserves"])
        x = check["experts"]
        if x["required"] > 0:
            self.fill(x)
            self.set_reserve(x, self.rule["reserves"])

    def substitute_person(self, code, d, out):
        check = self.checks[code]
        team = check["experts"] if d == "expert" else check["teams"][d]
        assert out in team["members"], f"{out} is not on the team of {d} at {code}"
        team["members"].remove(out)
        self.release(out)
        team["removed"].add(out)
        inn = next((pid for pid in team["order"]
                    if pid not in team["members"] and pid not in team["removed"] and self.free(pid)), None)
        if inn is not None:
            team["members"].append(inn)
            self.load[inn] = self.load.get(inn, 0) + 1
        self.set_reserve(team, self.rule["reserves"])  # shortfall: max(0, required − size), see result()
        return inn


# §9 chain ---------------------------------------------------------------------------------------

def record_digest(r):
    return H({"at": r["at"], "kind": r["kind"], "prev": r["prev"], "private": H(r["private"]),
              "public": H(r["public"]), "purpose": SPEC + " record", "seq": r["seq"]})


class Chain:
    def __init__(self, inputs, seed, provenance, commitment):
        self.public, self.private = inputs["public"], inputs["private"]
        self.seed = seed
        self.head = H({"commitment": commitment, "provenance": provenance,
                       "purpose": SPEC + " seed record", "seed": seed})
        self.records = []
        tkey = key_of(seed, "ticket")
        self.tickets = {c: sha256(tkey + u8(c)) for c in self.public["pool"]["codes"]}
        self.stratum = dict(zip(self.public["pool"]["codes"], self.private["strata"]))
        self.selected = {}  # department -> [code] current selections
        self.removed = {}   # department -> {code} removed by target substitutions
        self.teams = None
        self.team_tickets = []

    def append(self, kind, at, public, private):
        r = {"kind": kind, "seq": len(self.records), "prev": self.head, "at": at,
             "public": public, "private": private}
        digest = record_digest(r)
        self.records.append({"record": r, "digest": digest})
        self.head = digest
        return r

    def draw(self, at, audit):
        targets = draw_targets(self.public, self.private, self.tickets)
        for t in targets:
            self.selected[t["department"]] = [c for s in t["strata"] for c in s["selected"]]
            self.removed[t["department"]] = set()
        checks = None
        if self.private["inspectors"] is not None:
            self.teams = Teams(self.public, self.private, self.seed)
            self.teams.draw(targets)
            checks = self.teams.results()
            self.team_tickets = sorted([[c, self.teams.team_ticket(c).hex()] for c in self.teams.checks],
                                       key=lambda x: (x[1], u8(x[0])))
        results = {"targets": targets, "checks": checks}
        self.results = results
        self.public_results = public_results(targets, self.tickets)
        return self.append("draw", at, {"audit": audit, "results": self.public_results}, {"results": results})

    def target(self, d, out, reason, at, audit):
        assert out in self.selected[d], f"{out} is not currently selected by {d}"
        k = self.stratum[out]
        dep = next(x for x in self.public["departments"] if x["id"] == d)
        cand = candidates_of(self.public, self.private, dep, k, self.tickets)
        inn = next((c for c in cand if c not in self.selected[d] and c not in self.removed[d] and c != out), None)
        self.selected[d].remove(out)
        self.removed[d].add(out)
        if inn is not None:
            self.selected[d].append(inn)
        checks = []
        if self.teams is not None:
            touched = []
            if self.teams.leave(out, d):
                self.teams.restaff(out)
                touched.append(out)
            if inn is not None:
                self.teams.join(inn, d)
                self.teams.restaff(inn)
                touched.append(inn)
            checks = [self.teams.result(c) for c in sorted(touched, key=u8)]
        return self.append("substitution", at,
                           {"audit": audit, "target": {"department": d, "out": out, "in": inn, "reason": reason}},
                           {"stratum": k, "checks": checks})

    def inspector(self, code, d, out, reason, at, audit):
        assert self.teams is not None and code in self.teams.checks, f"no check {code}"
        inn = self.teams.substitute_person(code, d, out)
        return self.append("substitution", at, {"audit": audit, "inspector": {"code": code, "department": d}},
                           {"out": out, "in": inn, "reason": reason})

    def schedule(self, visits, unscheduled, reason, at, audit):
        visits = sorted(visits, key=lambda v: (v["day"], u8(v["code"])))
        unscheduled = sorted(unscheduled, key=lambda u: u8(u["code"]))
        return self.append("schedule", at,
                           {"audit": audit, "reason": reason, "visits": len(visits), "unscheduled": len(unscheduled)},
                           {"visits": visits, "unscheduled": unscheduled})


# driver -----------------------------------------------------------------------------------------

def steps_of_manifest(m):
    steps, draw_at, audit = [], None, None
    for r in m["records"]:
        pub, priv = r["public"], r["private"]
        if r["kind"] == "draw":
            draw_at, audit = r["at"], pub["audit"]
        elif r["kind"] == "schedule":
            steps.append({"kind": "schedule", "reason": pub["reason"], "visits": priv["visits"],
                          "unscheduled": priv["unscheduled"], "at": r["at"], "audit": pub["audit"]})
        elif "target" in pub:
            t = pub["target"]
            steps.append({"kind": "target", "department": t["department"], "out": t["out"],
                          "reason": t["reason"], "at": r["at"], "audit": pub["audit"]})
        else:
            steps.append({"kind": "inspector", "code": pub["inspector"]["code"],
                          "department": pub["inspector"]["department"], "out": priv["out"],
                          "reason": priv["reason"], "at": r["at"], "audit": pub["audit"]})
    return {"inputs": m["inputs"], "provenance": m["seed"]["provenance"] if m["seed"] else None,
            "drawAt": draw_at, "audit": audit, "steps": steps}


def run(case):
    manifest = case.get("manifest")
    if manifest is not None:
        case = {**steps_of_manifest(manifest), "proofs": case.get("proofs", [])}
    inputs = case["inputs"]
    public, private = inputs["public"], inputs["private"]
    pub_d, priv_d, commitment = digests(inputs)
    root = class_root(public, private)
    proofs = []
    for code in case.get("proofs", []):
        p = class_proof(public, private, code)
        proofs.append({"proof": p, "ok": verify_class_proof(root, public["pool"]["codes"], p)})
    out = {"publicDigest": pub_d, "privateDigest": priv_d, "commitment": commitment, "classRoot": root,
           "proofs": proofs}
    if case.get("provenance") is None:  # committed, not yet seeded: the head is the commitment (§9)
        out["head"] = commitment
        if manifest is not None:
            out["matches"] = commitment == manifest["commitment"] and manifest["records"] == []
        return out
    seed = seed_of(public, commitment, case["provenance"])
    chain = Chain(inputs, seed, case["provenance"], commitment)
    out.update({"seed": seed, "ticketKey": key_of(seed, "ticket").hex(), "officerKey": key_of(seed, "officer").hex(),
                "expertKey": key_of(seed, "expert").hex(), "teamKey": key_of(seed, "team").hex(),
                "tickets": [[c, chain.tickets[c].hex()] for c in public["pool"]["codes"]],
                "seedRecord": chain.head})
    if case.get("drawAt") is not None:
        audit = case["audit"]
        chain.draw(case["drawAt"], audit)
        for s in case.get("steps", []):
            a = s.get("audit", audit)
            if s["kind"] == "target":
                chain.target(s["department"], s["out"], s["reason"], s["at"], a)
            elif s["kind"] == "inspector":
                chain.inspector(s["code"], s["department"], s["out"], s["reason"], s["at"], a)
            elif s["kind"] == "schedule":
                chain.schedule(s["visits"], s["unscheduled"], s.get("reason"), s["at"], a)
            else:
                raise ValueError("unknown step kind " + s["kind"])
        out.update({"results": chain.results, "publicResults": chain.public_results,
                    "teamTickets": chain.team_tickets,
                    "records": chain.records})
    out["head"] = chain.head
    if manifest is not None:
        out["matches"] = (seed == manifest["seed"]["value"] and commitment == manifest["commitment"]
                          and [r["record"] for r in chain.records] == manifest["records"])
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        cases = json.load(fh)
    json.dump([run(c) for c in cases], sys.stdout, ensure_ascii=False)
