#!/usr/bin/env python3
"""Checks setB gold.jsonl against the articles. Exit 0 when there are no errors.
Warnings (W) are printed for manual review: unverifiable date values and keyword
occurrences (crossing/convoy/country words) that no annotated span covers."""
import datetime as dt
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ID_RE = re.compile(r'^[a-z0-9]+(_[a-z0-9]+)*$')
ISO_CC = re.compile(r'^[A-Z]{2}$')
DATE_RE = re.compile(r'^\d{4}(-\d{2}(-\d{2})?)?$')
KINDS = {"state","person","government","military","armed_group","igo","ngo","media","company","party","other"}
PTYPES = {"country","province","city","town","village","region","district","base","camp","road","zone","other"}
WD = {"الاثنين":0,"الإثنين":0,"الثلاثاء":1,"الأربعاء":2,"الاربعاء":2,"الخميس":3,"الجمعة":4,"السبت":5,"الأحد":6,"الاحد":6}
MONTHS = [("كانون الثاني",1),("يناير",1),("شباط",2),("فبراير",2),("آذار",3),("مارس",3),("نيسان",4),("أبريل",4),("إبريل",4),
          ("أيار",5),("مايو",5),("حزيران",6),("يونيو",6),("تموز",7),("يوليو",7),("آب",8),("أغسطس",8),("أيلول",9),("سبتمبر",9),
          ("تشرين الأول",10),("أكتوبر",10),("تشرين الثاني",11),("نوفمبر",11),("كانون الأول",12),("ديسمبر",12)]
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩","0123456789")
ORD = {"الأول":1,"الثاني":2,"الثالث":3,"الرابع":4,"الخامس":5,"السادس":6,"السابع":7,"الثامن":8,"التاسع":9,"العاشر":10,
       "الحادي عشر":11,"الثاني عشر":12,"الخامس عشر":15,"العشرين":20}
FUT = ("المقبل","القادم","المقبلة","القادمة")

def find_weekday(t):
    for w,i in WD.items():
        if re.search(r'(^|\s|ال)?'+w+r'($|\s)', t) or t.endswith(w):
            if w in t: return i
    return None

def find_month(t):
    for name,m in MONTHS:
        if re.search(r'(^|[\s/])'+name+r'($|[\s/،])', t): return m
    return None

def resolve(text, P):
    """Returns (value, range_end, checked_weekday) or None when the checker cannot resolve it."""
    t = text.translate(ARABIC_DIGITS)
    wd = find_weekday(t)
    fut = any(f in t for f in FUT)
    # numeric dates
    m = re.search(r'(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)', t)
    if m:
        d = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return d.isoformat(), None, wd
    m = re.search(r'(?<!\d)(\d{1,2})/(\d{4})(?!\d)', t)
    if m:
        return f"{int(m.group(2)):04d}-{int(m.group(1)):02d}", None, wd
    if "بعد غد" in t:
        return (P + dt.timedelta(2)).isoformat(), None, wd
    if "أول أمس" in t or "أول من أمس" in t or "أمس الأول" in t:
        return (P - dt.timedelta(2)).isoformat(), None, wd
    if "أمس" in t:
        return (P - dt.timedelta(1)).isoformat(), None, wd
    if "غدا" in t or "غداً" in t:
        return (P + dt.timedelta(1)).isoformat(), None, wd
    mon = find_month(t)
    if mon:
        # a day-range "من 10 إلى 14 آب" / "بين 4 و10 آذار"
        yr = re.search(r'(?<!\d)(19|20)\d{2}(?!\d)', t)
        nums = [int(x) for x in re.findall(r'(?<!\d)(\d{1,2})(?!\d)', re.sub(r'(?<!\d)(19|20)\d{2}(?!\d)', '', t))]
        if not nums:
            t2 = t
            for name,_ in MONTHS: t2 = t2.replace(name, " ")
            for k,v in ORD.items():
                if k in t2: nums=[v]
        if yr: y = int(yr.group(0))
        else:
            y = P.year
            if nums:
                cand = dt.date(y, mon, nums[0])
                if fut and cand < P: y += 1
                elif not fut and cand > P + dt.timedelta(0) and "الجاري" not in t: y -= 1
            else:
                if not fut and mon > P.month: y -= 1
                if fut and mon < P.month: y += 1
        if len(nums) >= 2 and nums[0] < nums[1]:
            return dt.date(y,mon,nums[0]).isoformat(), dt.date(y,mon,nums[1]).isoformat(), wd
        if nums:
            return dt.date(y, mon, nums[0]).isoformat(), None, wd
        return f"{y:04d}-{mon:02d}", None, wd
    if "اليوم" in t or "الليلة" in t:
        return P.isoformat(), None, wd
    if "الأسبوع قبل الماضي" in t:
        mon0 = P - dt.timedelta(P.weekday() + 14)
        return mon0.isoformat(), (mon0 + dt.timedelta(6)).isoformat(), None
    if re.search(r'الأسبوع (الماضي|الفائت|المنصرم)', t):
        mon0 = P - dt.timedelta(P.weekday() + 7)
        return mon0.isoformat(), (mon0 + dt.timedelta(6)).isoformat(), None
    if re.search(r'الأسبوع (المقبل|القادم)', t):
        mon0 = P - dt.timedelta(P.weekday()) + dt.timedelta(7)
        return mon0.isoformat(), (mon0 + dt.timedelta(6)).isoformat(), None
    if re.search(r'الشهر (الماضي|الفائت|المنصرم)', t):
        pm = (P.replace(day=1) - dt.timedelta(1))
        return f"{pm.year:04d}-{pm.month:02d}", None, None
    if re.search(r'الشهر (الجاري|الحالي)', t):
        return f"{P.year:04d}-{P.month:02d}", None, None
    if re.search(r'(العام|السنة) (الماضي|الفائت|المنصرم|الماضية)', t):
        return f"{P.year-1:04d}", None, None
    if re.search(r'(العام|السنة) (المقبل|القادم|المقبلة)', t):
        return f"{P.year+1:04d}", None, None
    if re.search(r'(العام|السنة) (الجاري|الحالي|الحالية)|هذا العام', t):
        return f"{P.year:04d}", None, None
    m = re.search(r'قبل (\d+) أيام', t)
    if m: return (P - dt.timedelta(int(m.group(1)))).isoformat(), None, wd
    if "قبل يومين" in t: return (P - dt.timedelta(2)).isoformat(), None, wd
    if "قبل أسبوع" in t: return (P - dt.timedelta(7)).isoformat(), None, wd
    if "قبل أسبوعين" in t: return (P - dt.timedelta(14)).isoformat(), None, wd
    years = re.findall(r'(?<!\d)((?:19|20)\d{2})(?!\d)', t)
    if len(years) == 2: return years[0], years[1], None
    if len(years) == 1: return years[0], None, None
    if wd is not None:
        if fut:
            k = (wd - P.weekday()) % 7 or 7
            return (P + dt.timedelta(k)).isoformat(), None, wd
        k = (P.weekday() - wd) % 7 or 7
        return (P - dt.timedelta(k)).isoformat(), None, wd
    return None

KEYWORDS = ["معبر","معابر","منفذ","منافذ","جسر","قافلة","قوافل","قافلت","رتل","أرتال","صهاريج","حافل","شاحن","آليات","بوابة","ممرات",
            "سوريا","الأردن","لبنان","العراق","السعودية","مصر","إسرائيل","إيران","تركيا","اليمن","الكويت","ليبيا","السودان","قطاع غزة","البحرين"]

# Dates checked by hand (the simple resolver above reads them differently); only the weekday is verified.
MANUAL = {
    ("B-014", "يوم الأربعاء"): "Shafaq style: weekday of the publication day itself",
    ("B-016", "يوم الأربعاء"): "Shafaq style: weekday of the publication day itself",
    ("B-022", "فجر الجمعة"): "the coming Friday (the match day announced in the previous sentence)",
}

def covered(art, spans, pos, ln):
    for s in spans:
        i = art.find(s)
        while i != -1:
            if i <= pos and pos + ln <= i + len(s): return True
            i = art.find(s, i + 1)
    return False

def main():
    errors, warns = [], []
    gold = [json.loads(line) for line in open(os.path.join(HERE, "gold.jsonl"), encoding="utf-8") if line.strip()]
    ids = [g["doc_id"] for g in gold]
    if len(set(ids)) != len(ids): errors.append("duplicate doc_id")
    tally = Counter()
    for g in gold:
        did = g["doc_id"]
        def E(m, did=did): errors.append(f"{did}: {m}")
        def W(m, did=did): warns.append(f"{did}: {m}")
        path = os.path.join(HERE, "articles", did + ".txt")
        raw = open(path, encoding="utf-8").read()
        if not raw.endswith("\n") or raw.endswith("\n\n"): E("article must end with exactly one newline")
        if not (300 <= len(raw) <= 6000): E(f"length {len(raw)} outside 300-6000")
        for k in ("published","outlet_style","dates","actors","places","convoys","crossings"):
            if k not in g: E(f"missing key {k}")
        P = dt.date.fromisoformat(g["published"])
        if not (2014 <= P.year <= 2024): E("published outside 2014-2024")
        allspans = []
        for field in ("dates","actors","places","convoys","crossings"):
            seen = Counter(x["text"] for x in g[field])
            for t,c in seen.items():
                if c > 1: E(f"duplicate {field} text {t!r}")
            for x in g[field]:
                tally[field] += 1
                t = x["text"]
                if t not in raw: E(f"{field} text not in article: {t!r}")
                if t != t.strip() or t.startswith(("«","\"")) or t.endswith(("»","\"")): E(f"{field} text has quotes/space: {t!r}")
                allspans.append(t)
                if field in ("actors","places","crossings"):
                    c = x["canonical"]
                    if c is not None and not (ID_RE.match(c) or ISO_CC.match(c)): E(f"bad id {c!r}")
        for x in g["dates"]:
            v, r = x["value"], x.get("range_end")
            for val in (v, r):
                if val is not None and not DATE_RE.match(val): E(f"bad date value {val!r}")
            if v is None:
                W(f"null date {x['text']!r}"); continue
            if r is not None and r < v: E(f"range_end before value in {x['text']!r}")
            try:
                dv = dt.date.fromisoformat(v) if len(v) == 10 else None
            except ValueError:
                E(f"impossible date {v}"); continue
            res = resolve(x["text"], P) if (did, x["text"]) not in MANUAL else None
            if (did, x["text"]) in MANUAL:
                W(f"date checked by hand: {x['text']!r} -> {v} ({MANUAL[(did, x['text'])]})")
            if res is None and (did, x["text"]) not in MANUAL:
                W(f"date not machine-checked: {x['text']!r} -> {v}")
            elif res is not None:
                rv, rr, wd = res
                if rv != v: E(f"date {x['text']!r}: gold {v} but resolver {rv}")
                if rr is not None and r is not None and rr != r: E(f"date {x['text']!r}: range_end gold {r} resolver {rr}")
                if (rr is None) != (r is None): W(f"range mismatch for {x['text']!r}: gold {r} resolver {rr}")
            if (did, x["text"]) in MANUAL: wd = find_weekday(x["text"])
            elif res is None: wd = None
            if wd is not None and dv is not None and dv.weekday() != wd:
                E(f"weekday mismatch in {x['text']!r}: {v} is {dv.strftime('%A')}")
            if dv is not None and dv > P and not any(f in x["text"] for f in FUT + ("غدا","غداً","بعد غد")) and (did, x["text"]) not in MANUAL:
                W(f"date after publication: {x['text']!r} {v}")
        for x in g["actors"]:
            if x["kind"] not in KINDS: E(f"bad kind {x['kind']}")
            if x["kind"] == "state" and not ISO_CC.match(x["canonical"]): E(f"state actor without ISO code {x['text']!r}")
            if "role" in x and x["kind"] != "person": E(f"role on non-person {x['text']!r}")
        for x in g["places"]:
            if x["type"] not in PTYPES: E(f"bad place type {x['type']}")
            if x["type"] == "country" and not ISO_CC.match(x["canonical"]): E(f"country without ISO code {x['text']!r}")
        for x in g["convoys"]:
            a, b, c = x["size_min"], x["size_max"], x["counts"]
            if c not in ("vehicles","convoys",None): E(f"bad counts {c}")
            if (a is None and b is None) != (c is None): E(f"counts/size inconsistent {x['text']!r}")
            if a is not None and b is not None and a > b: E(f"size_min > size_max {x['text']!r}")
            if not isinstance(x["specific"], bool): E(f"specific not bool {x['text']!r}")
        for x in g["crossings"]:
            if not isinstance(x["named"], bool): E("named not bool")
            if x["named"] != (x["canonical"] is not None): E(f"named/canonical inconsistent {x['text']!r}")
        for kw in KEYWORDS:
            for m in re.finditer(kw, raw):
                if not covered(raw, allspans, m.start(), len(kw)):
                    ctx = raw[max(0,m.start()-25):m.end()+25].replace("\n"," ")
                    W(f"uncovered {kw!r}: …{ctx}…")
    for w in warns: print("W", w)
    for e in errors: print("E", e)
    print(f"{len(gold)} docs; " + ", ".join(f"{k}={v}" for k,v in sorted(tally.items())) + f"; {len(errors)} errors, {len(warns)} warnings")
    sys.exit(1 if errors else 0)

if __name__ == "__main__":
    main()
