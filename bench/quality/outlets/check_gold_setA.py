#!/usr/bin/env python3
"""Checks outlets/setA/gold.jsonl against articles/. Exit 0 when there are no errors.
Checks: file format; every text is an exact substring; id formats; enums; convoy size logic;
crossing named/canonical consistency; no duplicates; ISO date values that agree with an
independent rule-based resolver computed from `published` (weekdays, relative days, ISO weeks,
yearless dates, numeric dates, ranges). Also prints recall warnings (keywords outside spans)."""
import datetime as dt
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ART = HERE / "articles"
errors, warnings, manual = [], [], []
def err(doc, msg): errors.append(f"{doc}: {msg}")
def warn(doc, msg): warnings.append(f"{doc}: {msg}")

ID_RE = re.compile(r"^(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)*|[A-Z]{2})$")
ISO_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
ACTOR_KINDS = {"state","person","government","military","armed_group","igo","ngo","media","company","party","other"}
PLACE_TYPES = {"country","province","city","town","village","region","district","base","camp","road","zone","other"}
STYLES = {"state_agency","kurdish","turkish_agency","un_statement","analysis"}

# ---------------- date resolver ----------------
MONTHS = [("كانون الثاني",1),("كانون الأول",12),("تشرين الأول",10),("تشرين الثاني",11),("شباط",2),("آذار",3),
          ("نيسان",4),("أيار",5),("حزيران",6),("تموز",7),("آب",8),("أيلول",9),("يناير",1),("فبراير",2),
          ("مارس",3),("أبريل",4),("إبريل",4),("مايو",5),("يونيو",6),("يوليو",7),("أغسطس",8),("سبتمبر",9),
          ("أكتوبر",10),("نوفمبر",11),("ديسمبر",12)]
WEEKDAYS = {"الإثنين":0,"الاثنين":0,"الثلاثاء":1,"الأربعاء":2,"الخميس":3,"الجمعة":4,"السبت":5,"الأحد":6}
UNITS = ["الأول","الثاني","الثالث","الرابع","الخامس","السادس","السابع","الثامن","التاسع","العاشر"]
ORD = {}
for i,u in enumerate(UNITS, 1): ORD[u] = i
ORD["الحادي عشر"]=11
for i,u in enumerate(UNITS[1:9], 2): ORD[u+" عشر"] = 10+i
ORD["العشرين"]=20; ORD["الثلاثين"]=30; ORD["الحادي والعشرين"]=21; ORD["الحادي والثلاثين"]=31
for i,u in enumerate(UNITS[1:9], 2): ORD[u+" والعشرين"] = 20+i
ORD_KEYS = sorted(ORD, key=len, reverse=True)
PAST = ("الماضي","الماضية","الفائت","الفائتة","المنصرم")
NEXT = ("المقبل","المقبلة","القادم","القادمة")
def norm_digits(s): return s.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩","0123456789"))
def iso(d): return d.isoformat()
def ym(y,m): return f"{y:04d}-{m:02d}"
def find_month(t):
    for name,m in MONTHS:
        k = t.find(name)
        if k >= 0: return name, m, k
    return None
def find_all_months(t):
    out = []
    for name,m in MONTHS:
        for mo in re.finditer(re.escape(name), t): out.append((mo.start(), name, m))
    out.sort(); res=[]; last=-1
    for s,n,m in out:
        if s>last: res.append((s,n,m)); last=s+len(n)-1
    return res
def weekday_in(t):
    for w,n in WEEKDAYS.items():
        if w in t: return n
    return None
def shift_month(y,m,k):
    m0 = y*12+(m-1)+k; return m0//12, m0%12+1

def resolve(text, P):
    """Return a set of acceptable (value, range_end) tuples, or None when not resolvable by rule."""
    t = norm_digits(text)
    alt = "|".join(re.escape(n) for n,_ in MONTHS)
    t = re.sub(r"(" + alt + r") ?/ ?(?:" + alt + r")", r"\1", t)   # "تموز/يوليو" -> "تموز"
    if "هـ" in t or "ذاته" in t or "نفسه" in t: return None
    if re.search(r"الأيام المقبلة|الأسابيع الماضية|الأسابيع الأخيرة|قبل ساعات|الأيام الماضية", t): return {(None,None)}
    m = re.fullmatch(r"(\d{1,2}) - (\d{1,2})", t)
    if m: return {(iso(dt.date(P.year,int(m.group(2)),int(m.group(1)))),None)}
    m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", t)
    if m: return {(iso(dt.date(int(m.group(3)),int(m.group(2)),int(m.group(1)))),None)}
    m = re.fullmatch(r"(\d{1,2})/(\d{4})", t)
    if m: return {(ym(int(m.group(2)),int(m.group(1))),None)}
    wd = weekday_in(t)
    past = any(w in t for w in PAST); nxt = any(w in t for w in NEXT)
    # ISO weeks
    if "الأسبوع" in t:
        mon = P - dt.timedelta(days=P.weekday())
        if past: s = mon - dt.timedelta(days=7)
        elif nxt: s = mon + dt.timedelta(days=7)
        else: s = mon
        return {(iso(s), iso(s+dt.timedelta(days=6)))}
    months = find_all_months(t)
    years = [int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", t)]
    # ranges "N و M MONTH" or "N MONTH و M MONTH"
    if len(months) == 2 or re.search(r"(\d{1,2}) و ?(\d{1,2}) ", t):
        if len(months) == 2 and not (months[0][2]==months[1][2]):
            parts = re.findall(r"(\d{1,2}) ?(?:" + "|".join(re.escape(n) for n,_ in MONTHS) + ")", t)
            if len(parts) >= 2:
                d1, d2 = int(parts[0]), int(parts[1]); m1, m2 = months[0][2], months[1][2]
                y = years[0] if years else P.year
                return {(iso(dt.date(y,m1,d1)), iso(dt.date(y,m2,d2)))}
        mm = re.search(r"(\d{1,2}) و ?(\d{1,2}) ", t)
        if mm and months:
            y = years[0] if years else P.year
            mo = months[0][2]
            return {(iso(dt.date(y,mo,int(mm.group(1)))), iso(dt.date(y,mo,int(mm.group(2)))))}
    day = None
    md = re.search(r"(?<![\d/])(\d{1,2})(?![\d/])", t)
    ordinal = None
    for k in ORD_KEYS:
        if re.search(r"(?:^|\s)" + re.escape(k) + r"\s+من\s", t): ordinal = ORD[k]; break
    if months:
        _, mname, mo = months[0]
        if md and int(md.group(1)) <= 31 and t.find(md.group(1)) < t.find(mname): day = int(md.group(1))
        elif ordinal: day = ordinal
        cands = set()
        if years: ys = [years[0]]
        elif past:
            ys = [P.year if (mo, day or 0) < (P.month, P.day if day else 99) else P.year-1]
            if day is None: ys = [P.year if mo < P.month else P.year-1]
        elif nxt:
            ys = [P.year if (mo, day or 99) > (P.month, P.day) else P.year+1]
            if day is None: ys = [P.year if mo > P.month else P.year+1]
        elif "الجاري" in t: ys = [P.year]
        else: ys = [P.year, P.year-1]
        for y in ys:
            if day: cands.add((iso(dt.date(y,mo,day)),None))
            else: cands.add((ym(y,mo),None))
        res = cands
        if wd is not None and day:
            res = {c for c in cands if dt.date.fromisoformat(c[0]).weekday()==wd}
            if not res: return {("WEEKDAY_MISMATCH",None)}
        return res
    if "الشهر" in t:
        k = -1 if past else (1 if nxt else 0)
        y, mo = shift_month(P.year, P.month, k)
        if ordinal: return {(iso(dt.date(y,mo,ordinal)),None)}
        return {(ym(y,mo),None)}
    if "العام" in t and not years:
        if past: return {(str(P.year-1),None)}
        if nxt: return {(str(P.year+1),None)}
        return {(str(P.year),None)}
    if years and not wd and "أمس" not in t and "اليوم" not in t: return {(str(years[0]),None)}
    base = None
    if "أول أمس" in t: base = P - dt.timedelta(days=2)
    elif "أمس" in t: base = P - dt.timedelta(days=1)
    elif re.search(r"غدا|غداً", t): base = P + dt.timedelta(days=1)
    elif "اليوم" in t: base = P
    if base is not None:
        if wd is not None and base.weekday() != wd: return {("WEEKDAY_MISMATCH",None)}
        return {(iso(base),None)}
    if wd is not None:
        if nxt:
            k = (wd - P.weekday()) % 7 or 7; return {(iso(P + dt.timedelta(days=k)),None)}
        k = (P.weekday() - wd) % 7 or 7; return {(iso(P - dt.timedelta(days=k)),None)}
    return None

# ---------------- main checks ----------------
gold_path = HERE / "gold.jsonl"
docs = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
seen_ids = set()
RECALL = ["معبر","معابر","منفذ","منافذ","قافلة","قوافل","قافلت","رتل","أرتال","رتلا","شاحنة","شاحنات","صهريج","صهاريج",
          "أمس","غداً","الماضي","المقبل","الجاري"] + list(WEEKDAYS)
for d in docs:
    did = d.get("doc_id")
    if did in seen_ids: err(did, "duplicate doc_id")
    seen_ids.add(did)
    for k in ("doc_id","published","outlet_style","dates","actors","places","convoys","crossings"):
        if k not in d: err(did, f"missing field {k}")
    p = ART / f"{did}.txt"
    if not p.exists(): err(did, "article missing"); continue
    raw = p.read_bytes().decode("utf-8")
    if not raw.endswith("\n") or raw.endswith("\n\n"): err(did, "article must end with exactly one newline")
    if not (300 <= len(raw) <= 6000): err(did, f"length {len(raw)} outside 300-6000")
    text = raw
    try: P = dt.date.fromisoformat(d["published"])
    except Exception: err(did, "bad published"); continue
    if not (2014 <= P.year <= 2024): err(did, "published outside 2014-2024")
    if d["outlet_style"].split(":")[0] not in STYLES: err(did, f"bad outlet_style {d['outlet_style']}")
    spans = []
    for field in ("dates","actors","places","convoys","crossings"):
        texts = [x["text"] for x in d[field]]
        for t in set(texts):
            if texts.count(t) > 1: err(did, f"{field}: duplicate text {t!r}")
        for x in d[field]:
            t = x["text"]
            if not t or t not in text: err(did, f"{field}: text not in article: {t!r}"); continue
            if t != t.strip() or t[0] in "«»\"'" or t[-1] in "،.,:" or t.count('"') % 2 or (t.count("«") != t.count("»")): err(did, f"{field}: untrimmed span {t!r}")
            for mo in re.finditer(re.escape(t), text): spans.append((mo.start(), mo.end()))
    for x in d["actors"]:
        if not ID_RE.match(x["canonical"] or ""): err(did, f"actor id {x['canonical']!r}")
        if x.get("kind") not in ACTOR_KINDS: err(did, f"actor kind {x.get('kind')!r}")
        if re.fullmatch(r"[A-Z]{2}", x["canonical"]) and x["kind"] != "state": err(did, f"ISO id with kind {x['kind']}: {x['text']}")
        if x["kind"] == "state" and not re.fullmatch(r"[A-Z]{2}", x["canonical"]) : err(did, f"state without ISO id: {x['text']}")
        if "role" in x and (x["kind"] != "person" or not x["role"] or x["role"] not in text): err(did, f"bad role on {x['text']}")
    for x in d["places"]:
        if not ID_RE.match(x["canonical"] or ""): err(did, f"place id {x['canonical']!r}")
        if x.get("type") not in PLACE_TYPES: err(did, f"place type {x.get('type')!r}")
        if (x["type"] == "country") != bool(re.fullmatch(r"[A-Z]{2}", x["canonical"])): err(did, f"country/ISO mismatch: {x['text']}")
    for x in d["crossings"]:
        if x["named"] not in (True, False): err(did, f"crossing named not bool: {x['text']}")
        if x["named"] and not ID_RE.match(x["canonical"] or ""): err(did, f"crossing id {x['canonical']!r}")
        if not x["named"] and x["canonical"] is not None: err(did, f"generic crossing with id: {x['text']}")
    for x in d["convoys"]:
        mn, mx, c = x["size_min"], x["size_max"], x["counts"]
        if c not in ("vehicles","convoys",None): err(did, f"convoy counts {c!r}")
        if c is None and (mn is not None or mx is not None): err(did, f"unsized convoy with size: {x['text']}")
        if c is not None and mn is None: err(did, f"sized convoy without size_min: {x['text']}")
        if mn is not None and mx is not None and mn > mx: err(did, f"size_min>size_max: {x['text']}")
        if x["specific"] not in (True, False): err(did, f"specific not bool: {x['text']}")
        nums = [int(n) for n in re.findall(r"\d+", norm_digits(x["text"]).replace(",", ""))]
        if nums and mn is not None and c == "vehicles" and not (mn in nums or (mn-1) in nums or sum(nums)==mn): warn(did, f"convoy size {mn} not among numbers in {x['text']!r}")
    for x in d["dates"]:
        v, e = x["value"], x.get("range_end")
        if v is not None and not ISO_RE.match(v): err(did, f"date value not ISO: {v}")
        if e is not None and (not ISO_RE.match(e) or (v and e < v)): err(did, f"bad range_end {e}")
        if v is not None:
            y = int(v[:4])
            if not (P.year - 60 <= y <= P.year + 1): err(did, f"date {v} implausible for published {P}")
            try:
                if len(v) == 10: dt.date.fromisoformat(v)
            except ValueError: err(did, f"invalid calendar date {v}")
        r = resolve(x["text"], P)
        if r is None: manual.append(f"{did}: {x['text']!r} -> {v} (checked by hand)")
        elif (v, e) not in r: err(did, f"date {x['text']!r}: gold {(v, e)} but resolver gives {sorted(r, key=str)}")
    # recall heuristic
    for kw in RECALL:
        for mo in re.finditer(re.escape(kw), text):
            if not any(s <= mo.start() < e for s, e in spans):
                ctx = text[max(0, mo.start()-25):mo.end()+25].replace("\n", " / ")
                warn(did, f"unannotated {kw!r}: …{ctx}…")
missing = {f"A-{i:03d}" for i in range(1, 31)} - seen_ids
if missing and "--partial" not in sys.argv: errors.append(f"missing docs: {sorted(missing)}")
if "-q" not in sys.argv:
    for w in warnings: print("WARN", w)
    for m in manual: print("MANUAL", m)
for e in errors: print("ERROR", e)
print(f"{len(docs)} docs, {len(errors)} errors, {len(warnings)} warnings, {len(manual)} dates checked by hand")
sys.exit(1 if errors else 0)
