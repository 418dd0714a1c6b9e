#!/usr/bin/env python3
"""Independent re-implementation of docs/draw-spec.md §15 (panel draws, ssj-draw/2), standard
library only, written from the specification. The commitment, the seed and the record digest are
those of §4, §5 and §9, taken from reference_draw2.py (the independent implementation of those).

Usage: reference_panel.py <file.json>
The file holds a JSON list of cases, each
  { "inputs", "provenance", "drawAt", "audit", "steps": [{ "seat", "out", "reason", "at" }, …] }
or { "manifest": FullPanelManifest } (the steps are read from its records, and every record is
recomputed and compared with the manifest's).

Prints a JSON list, one object per case: publicDigest, privateDigest, commitment, seed, panelKey,
tickets [[id, hex]], orders [[seat, [id, …]]], results, publicResults, records [{record, digest}],
head (and for a manifest "matches").
"""
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_draw2 import H, digests, key_of, record_digest, seed_of, sha256, u8  # noqa: E402


def eligible(inputs, seat):
    """§15.3 eligibility of every person for one seat."""
    pub, priv = inputs["public"], inputs["private"]
    district, day = priv["application"]["district"], pub["panel"]["day"]
    recused = {r["person"] for r in priv["recusals"]}

    def free(p):
        return (p["active"] and any(district.startswith(x) for x in p["districts"])
                and day not in p["unavailable"] and p["id"] not in recused)

    if seat["kind"] == "expert":
        return [x["id"] for x in priv["experts"] if free(x) and seat["speciality"] in x["specialities"]]
    return [o["id"] for o in priv["officers"] if free(o) and o["department"] == seat["department"]
            and all(q in o["qualifications"] for q in seat["qualifications"])]


class Panel:
    def __init__(self, inputs, seed, provenance, commitment):
        self.inputs = inputs
        self.key = key_of(seed, "panel")
        self.head = H({"commitment": commitment, "provenance": provenance,
                       "purpose": "ssj-draw/2 seed record", "seed": seed})
        self.records = []
        self.orders = {}
        taken = set()
        seats = []
        reserves = inputs["public"]["config"]["reserves"]
        for s in inputs["public"]["seats"]:
            order = sorted(eligible(inputs, s), key=lambda i: (self.ticket(i), i.encode("utf-8")))
            self.orders[s["id"]] = order
            free = [i for i in order if i not in taken]
            drawn = free[:s["count"]]
            taken.update(drawn)
            seats.append({"seat": s["id"], "candidates": len(free), "required": s["count"], "drawn": drawn,
                          "reserve": free[len(drawn):len(drawn) + reserves], "shortfall": s["count"] - len(drawn)})
        self.results = {"seats": seats}
        self.public_results = {"seats": [{"seat": x["seat"], "candidates": x["candidates"], "required": x["required"],
                                          "drawn": len(x["drawn"]), "reserve": len(x["reserve"]),
                                          "shortfall": x["shortfall"]} for x in seats]}
        self.current = {x["seat"]: list(x["drawn"]) for x in seats}
        self.stepped_aside = set()

    def ticket(self, pid):
        return sha256(self.key + u8(pid))

    def append(self, kind, at, public, private):
        r = {"kind": kind, "seq": len(self.records), "prev": self.head, "at": at, "public": public, "private": private}
        self.head = record_digest(r)
        self.records.append({"record": r, "digest": self.head})

    def draw(self, at, audit):
        assert at > self.inputs["public"]["frozenAt"], "draw before freeze"
        self.append("draw", at, {"audit": audit, "results": self.public_results}, {"results": self.results})

    def substitute(self, seat, out, reason, at, audit):
        assert reason.strip(), "a substitution needs a reason"
        assert at >= self.records[-1]["record"]["at"], "time goes backwards"
        members = self.current[seat]
        assert out in members, "out is not on the seat"
        members.remove(out)
        self.stepped_aside.add(out)
        on_seats = {p for ps in self.current.values() for p in ps}
        inn = next((p for p in self.orders[seat] if p not in on_seats and p not in self.stepped_aside), None)
        if inn is not None:
            members.append(inn)
        self.append("substitution", at, {"audit": audit, "seat": seat}, {"in": inn, "out": out, "reason": reason})


def steps_of_manifest(m):
    recs = m["records"]
    return {"inputs": m["inputs"], "provenance": m["seed"]["provenance"] if m["seed"] else None,
            "drawAt": recs[0]["at"] if recs else None, "audit": recs[0]["public"]["audit"] if recs else None,
            "steps": [{"seat": r["public"]["seat"], "out": r["private"]["out"], "reason": r["private"]["reason"],
                       "at": r["at"], "audit": r["public"]["audit"]} for r in recs[1:]]}


def run(case):
    manifest = case.get("manifest")
    if manifest is not None:
        case = steps_of_manifest(manifest)
    inputs = case["inputs"]
    pub_d, priv_d, commitment = digests(inputs)
    out = {"publicDigest": pub_d, "privateDigest": priv_d, "commitment": commitment}
    if case.get("provenance") is None:
        out["head"] = commitment
        return out
    seed = seed_of(inputs["public"], commitment, case["provenance"])
    p = Panel(inputs, seed, case["provenance"], commitment)
    people = [x["id"] for x in inputs["private"]["experts"]] + [o["id"] for o in inputs["private"]["officers"]]
    out.update({"seed": seed, "panelKey": p.key.hex(), "tickets": [[i, p.ticket(i).hex()] for i in people],
                "orders": [[s, o] for s, o in p.orders.items()], "results": p.results, "publicResults": p.public_results})
    if case.get("drawAt") is not None:
        p.draw(case["drawAt"], case["audit"])
        for s in case.get("steps", []):
            p.substitute(s["seat"], s["out"], s["reason"], s["at"], s.get("audit", case["audit"]))
    out["records"] = p.records
    out["head"] = p.head
    if manifest is not None:
        out["matches"] = (seed == manifest["seed"]["value"] and commitment == manifest["commitment"]
                          and [r["record"] for r in p.records] == manifest["records"] and p.head == manifest["head"])
    return out


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        cases = json.load(fh)
    json.dump([run(c) for c in cases], sys.stdout, ensure_ascii=False)
