"""The gazetteer lexicons: loading, validation (``extract lexicon check``), the GeoNames
build, and adding an alias as a data change only."""

from __future__ import annotations

import csv
import doctest
import json
import shutil

import pytest
from typer.testing import CliRunner

from extract.cli import app
from extract.lexicons import build_places
from extract.lexicons.build_places import Place, curate, slug
from extract.normalize import fold
from extract.rules import gazetteer, lexicon
from extract.rules.gazetteer import GazetteerMatcher
from extract.rules.lexicon import DATA_FILES, alias_key, alias_owners, check, default_directory, load_lexicons

from .conftest import SHARED, needs_shared

GEONAMES = SHARED / "data" / "gazetteers" / "geonames_places.tsv"
runner = CliRunner()


@pytest.fixture(scope="module")
def shipped():
    return load_lexicons()


def entry(lex, id_):
    return next(e for e in lex.entries if e.id == id_)


def test_shipped_lexicons_pass_the_check(shipped):
    assert check(shipped) == []


@pytest.mark.parametrize("kind, minimum", [("actor", 150), ("place", 600), ("crossing", 40)])
def test_lexicon_sizes(shipped, kind, minimum):
    assert sum(1 for e in shipped.entries if e.kind == kind) >= minimum


def test_all_fourteen_governorates(shipped):
    governorates = [e for e in shipped.entries if e.type == "governorate" and e.country == "SY"]
    assert len(governorates) == 14 and {e.parent for e in governorates} == {"syria"}


@pytest.mark.parametrize("id_, field, expected", [
    ("sdf", "type", "armed_group"),
    ("ypj", "parent", "sdf"),
    ("manbij_military_council", "parent", "sdf"),
    ("fourth_division", "parent", "syrian_gov_forces"),
    ("fatemiyoun", "country", "AF"),
    ("ocha", "parent", "un"),
    ("sohr", "type", "monitor"),
    ("deir_ez_zor", "parent", "deir_ez_zor_governorate"),
    ("deir_ez_zor_governorate", "type", "governorate"),
    ("al_bab_district", "parent", "aleppo_governorate"),
    ("al_subha", "type", "village"),
    ("jazra_base", "type", "base"),
    ("kurdistan_region_iraq", "country", "IQ"),
    ("duhok", "parent", "kurdistan_region_iraq"),
    ("al_walid_iraq", "countries", ("SY", "IQ")),
    ("al_tanf_al_walid", "parent", "homs_governorate"),
    ("abu_al_zandeen", "type", "internal"),
    ("bab_al_hawa", "countries", ("SY", "TR")),
    ("jdeidet_yabous_masnaa", "countries", ("SY", "LB")),
])
def test_entry_fields(shipped, id_, field, expected):
    assert getattr(entry(shipped, id_), field) == expected


@pytest.mark.parametrize("id_, aliases", [
    ("sdf", ["قوات سوريا الديمقراطية", "قسد", "SDF", "قوات سورية الديمقراطية"]),
    ("isis", ["داعش", 'تنظيم "داعش"', "تنظيم الدولة", "الدولة الإسلامية", "ISIS"]),
    ("international_coalition", ["التحالف الدولي", "التحالف الدولي لمحاربة داعش"]),
    ("us_forces", ["القوات الأمريكية", "القوات الأميركية", "الجيش الأمريكي"]),
    ("sultan_suleiman_shah_division", ["العمشات", "فرقة السلطان سليمان شاه"]),
    ("ocha", ["أوتشا", "مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية"]),
    ("kurdistan_region_iraq", ["إقليم كردستان العراق", "إقليم كردستان", "كردستان العراق"]),
    ("semalka", ["سيمالكا", "فيشخابور"]),
])
def test_aliases_of_one_thing_share_its_id(shipped, id_, aliases):
    owners = alias_owners(shipped.entries)
    for alias in aliases:
        assert owners["*", False, "*", alias_key(alias)] == {id_}, alias


def test_the_two_walid_crossings_are_distinct_and_ruled(shipped):
    owners = alias_owners(shipped.entries)
    assert owners["crossing", True, "informal", alias_key("الوليد")] == {"al_walid_iraq"}
    assert owners["crossing", True, "official", alias_key("الوليد")] == {"al_tanf_al_walid"}
    ruled = {r.id for r in shipped.rules if r.alias == alias_key("الوليد")}
    assert ruled == {"al_walid_iraq", "al_tanf_al_walid"}


def test_no_alias_maps_to_two_ids_without_a_rule(shipped):
    ruled = {(r.alias, r.id) for r in shipped.rules}
    for (_, _, _, key), owners in alias_owners(shipped.entries).items():
        if len(owners) > 1:
            assert all((key, owner) in ruled for owner in owners), (key, owners)


def test_month_names_are_not_places(shipped):
    months = {alias_key(m) for m in ("آب", "تموز", "نيسان", "أيار", "حزيران", "كانون الثاني", "تشرين الأول")}
    places = {alias_key(a) for e in shipped.entries if e.kind == "place" for a in e.aliases + e.context_aliases}
    assert months.isdisjoint(places)


def test_check_command_passes_on_the_shipped_lexicons():
    result = runner.invoke(app, ["lexicon", "check"])
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def copy_lexicons(tmp_path):
    tmp_path.mkdir(parents=True, exist_ok=True)
    for name in DATA_FILES:
        shutil.copy(default_directory().joinpath(name), tmp_path / name)
    return tmp_path


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path, line):
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


# (file, old text, new text — or None to append new text as a row, expected message)
BREAKAGES = [
    ("actors.tsv", None, "sdf\tقوات أخرى\tOther\tarmed_group\tSY\t\tقوات أخرى\t\tcurated: test", "already used"),
    ("actors.tsv", "\tarmed_group\tSY\tsdf\tوحدات حماية المرأة|", "\tarmed_group\tSY\tsdf_x\tوحدات حماية المرأة|",
     "parent 'sdf_x' is not a known actor id"),
    ("actors.tsv", "ypj\tوحدات", "YPJ-units\tوحدات", "is not lower_snake_case"),
    ("actors.tsv", "وحدات حماية الشعب|وحدات حماية الشعب الكردية|", "وحدات حماية الشعب|قسد|",
     "maps to 2 ids without a rule"),
    ("crossings.tsv", "\t36.237\t36.665\t", "\t96.237\t36.665\t", "out of range"),
    ("crossings.tsv", "\t36.237\t36.665\t", "\tnorth\t36.665\t", "'north' is not a number"),
    ("places_curated.tsv", "\t35.12\t40.47\t", "\t39.12\t40.47\t", "lie outside Syria"),
    ("places_curated.tsv", "al_subha\tالصبحة\tAl-Subha\tvillage", "al_subha\tالصبحة\tAl-Subha\tvillge",
     "type 'villge'"),
    ("places_curated.tsv", "al_subha\tالصبحة\tAl-Subha\tvillage\tdeir_ez_zor_governorate",
     "al_subha\tالصبحة\tAl-Subha\tvillage\tdeir_ez_zor_gov", "parent 'deir_ez_zor_gov' is not a known place id"),
    ("disambiguation.tsv", None, "صوران\tsuran_homs\tحمص", "unknown id 'suran_homs'"),
    ("place_qualifiers.tsv", "ريف\tone\tarea", "ريف\tone\tsubarea", "role 'subarea'"),
]


@pytest.mark.parametrize("name, old, new, message", BREAKAGES, ids=[b[3] for b in BREAKAGES])
def test_check_fails_on_a_broken_lexicon(tmp_path, name, old, new, message):
    folder = copy_lexicons(tmp_path)
    if old is None:
        append(folder / name, new)
    else:
        edit(folder / name, old, new)
    problems = check(load_lexicons(str(folder)))
    assert any(message in str(p) and p.severity == "error" for p in problems), problems
    result = runner.invoke(app, ["lexicon", "check", "--dir", str(folder)])
    assert result.exit_code == 1
    assert message in result.output


def test_a_missing_shipped_file_is_reported(tmp_path, monkeypatch):
    folder = copy_lexicons(tmp_path)
    (folder / "crossings.tsv").unlink()
    monkeypatch.setattr(lexicon, "default_directory", lambda: folder)
    with pytest.raises(lexicon.LexiconError, match="crossings.tsv: file missing"):
        load_lexicons.__wrapped__(None)


NEW_ACTOR = "liwa_shuhada_al_quryatayn\tلواء شهداء القريتين\tLiwa Shuhada al-Quryatayn\tarmed_group\tSY\t\tلواء شهداء القريتين\t\tcurated: test"


def test_a_user_folder_is_layered_over_the_shipped_files(tmp_path, shipped):
    header = next(line for line in default_directory().joinpath("actors.tsv").read_text(encoding="utf-8").splitlines()
                  if line.startswith("id\t"))
    (tmp_path / "actors_local.tsv").write_text(f"# test actors\n{header}\n{NEW_ACTOR}\n", encoding="utf-8")
    layered = load_lexicons(str(tmp_path))
    assert len(layered.entries) == len(shipped.entries) + 1
    assert entry(layered, "liwa_shuhada_al_quryatayn").where == "actors_local.tsv:3"
    assert layered.fingerprint != shipped.fingerprint and check(layered) == []
    result = runner.invoke(app, ["lexicon", "check", "--dir", str(tmp_path)])
    assert result.exit_code == 0 and "0 error(s)" in result.output


def test_files_a_user_folder_cannot_replace_are_named(tmp_path, shipped):
    shutil.copy(default_directory().joinpath("months.tsv"), tmp_path / "months.tsv")
    with open(tmp_path / "months.tsv", "a", encoding="utf-8") as fh:
        fh.write("x\n")
    shutil.copy(default_directory().joinpath("numbers.tsv"), tmp_path / "numbers.tsv")  # unchanged: no warning
    with pytest.warns(lexicon.ExtractWarning, match=r"months.tsv not read: a lexicon folder replaces only"):
        layered = load_lexicons(str(tmp_path))
    assert layered.fingerprint == shipped.fingerprint


def test_an_added_alias_is_matched_without_code_change(tmp_path):
    folder = copy_lexicons(tmp_path)
    edit(folder / "actors.tsv", "قوات سوريا الديمقراطية|قوات سورية الديمقراطية|",
         "قوات سوريا الديمقراطية|قوات سوريا الديموقراطية|قوات سورية الديمقراطية|")
    append(folder / "actors.tsv", NEW_ACTOR)
    sentence = "دخلت قوات سوريا الديموقراطية ولواء شهداء القريتين إلى البلدة."
    from extract import Pipeline
    from extract.normalize import Normalizer
    from extract.tokenize import Tokenizer

    edited = Pipeline([Normalizer(), Tokenizer(), GazetteerMatcher(folder)])(sentence)
    assert [(m.text, m.canonical) for m in edited.actors] == [
        ("قوات سوريا الديموقراطية", "sdf"), ("لواء شهداء القريتين", "liwa_shuhada_al_quryatayn")]
    shipped_doc = Pipeline([Normalizer(), Tokenizer(), GazetteerMatcher()])(sentence)
    # without the alias, only the organisation rule finds the name, with no id
    assert [(m.text, m.canonical) for m in shipped_doc.actors] == [("قوات سوريا الديموقراطية", None)]
    assert check(load_lexicons(str(folder))) == []


def test_matcher_signature_follows_the_lexicon_data(tmp_path):
    same, changed = copy_lexicons(tmp_path / "same"), copy_lexicons(tmp_path / "changed")
    append(changed / "actors.tsv", "test_group\tجماعة الاختبار\tTest group\tarmed_group\tSY\t\tجماعة الاختبار\t\tcurated: test")
    assert GazetteerMatcher(same).signature == GazetteerMatcher().signature
    assert GazetteerMatcher(changed).signature != GazetteerMatcher().signature


@pytest.mark.parametrize("name_en, expected", [
    ("Jisr ash Shughūr", "jisr_ash_shughur"),
    ("Ma‘arratmişrīn", "maarratmisrin"),
    ("Ra’s al ‘Ayn", "ras_al_ayn"),
    ("Kafr Mūsá Al-Hmidiya", "kafr_musa_al_hmidiya"),
])
def test_slug(name_en, expected):
    assert slug(name_en) == expected


@pytest.mark.parametrize("names, override, rules, expected", [
    (["الباب"], {"id": "al_bab", "type": "city", "context_aliases": "الباب"}, {},
     ("al_bab", "city", [], ["الباب"])),
    (["الثورة", "الطبقة", "ثورة"], {"context_aliases": "الطبقة|الثورة", "drop_aliases": "ثورة"}, {},
     ("al_tabqa", "town", [], ["الثورة", "الطبقة"])),
    (["سلوق", "سلوك"], None, {fold("سلوك"): "context", fold("سلوق"): "context"},
     ("al_tabqa", "town", [], ["سلوق", "سلوك"])),
    (["المدينة", "رقه", "الرقة"], None, {fold("المدينة"): "drop", fold("رقه"): "drop"},
     ("al_tabqa", "town", ["الرقة"], [])),
    (["أعزاز", "إعزاز"], {"add_aliases": "اعزاز"}, {}, ("al_tabqa", "town", ["أعزاز"], [])),
])
def test_curate_geonames_names(names, override, rules, expected):
    place = Place("1", "SY", "04", "Al-Tabqa", 35.8, 38.5, 50_000, names)
    curate(place, override, rules, {("SY", "04"): "raqqa_governorate"})
    assert (place.id, place.type, place.aliases, place.context_aliases) == expected
    assert place.parent == "raqqa_governorate"


@needs_shared
def test_build_places_reproduces_the_committed_file(tmp_path):
    out = tmp_path / "places.tsv"
    result = runner.invoke(app, ["lexicon", "build-places", "--geonames", str(GEONAMES), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == default_directory().joinpath("places.tsv").read_bytes()


@needs_shared
def test_every_syrian_geonames_place_is_kept(shipped):
    with open(GEONAMES, encoding="utf-8", newline="") as fh:
        syrian = {row["geonameid"] for row in csv.DictReader(fh, delimiter="\t") if row["country"] == "SY"}
    kept = {e.source.removeprefix("geonames:") for e in shipped.entries if e.source.startswith("geonames:")}
    assert syrian <= kept


@pytest.mark.parametrize("module", [lexicon, gazetteer, build_places])
def test_docstring_examples(module):
    assert doctest.testmod(module).failed == 0


def test_countries_are_built_from_cldr_names_and_geonames_capitals(tmp_path):
    from extract.lexicons.build_countries import _forms, build

    assert _forms("ميانمار (بورما)") == ["ميانمار", "بورما"]
    assert _forms("الكونغو - كينشاسا") == ["الكونغو - كينشاسا", "الكونغو"]
    data = tmp_path / "gnc"
    data.mkdir()
    countries = {iso: {"geonameid": gid, "name": name, "iso": iso, "capital": capital, "population": 1000}
                 for iso, gid, name, capital in [("GR", 390903, "Greece", "Athens"), ("BR", 3469034, "Brazil", "Brasilia"),
                                                 ("SY", 163843, "Syria", "Damascus"), ("ML", 2453866, "Mali", "Bamako")]}
    cities = {str(k): {"geonameid": k, "name": name, "countrycode": iso, "population": 100, "latitude": lat, "longitude": lon}
              for k, (name, iso, lat, lon) in enumerate([("Athens", "GR", 37.98, 23.72), ("Brasília", "BR", -15.78, -47.93),
                                                         ("Damascus", "SY", 33.5, 36.3), ("Bamako", "ML", 12.65, -8.0)])}
    (data / "countries.json").write_text(json.dumps(countries), encoding="utf-8")
    (data / "cities15000.json").write_text(json.dumps(cities), encoding="utf-8")
    (data / "continents.json").write_text(json.dumps({}), encoding="utf-8")
    out = tmp_path / "places_countries.tsv"
    assert build(data, out) == 3  # Syria is curated already
    rows = {r[0]: r for r in (line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()
                              if line and not line.startswith("#"))}
    assert rows["greece"][1:4] == ["اليونان", "Greece", "country"] and rows["greece"][10] == "اليونان"
    assert rows["brazil"][6:8] == ["-15.7800", "-47.9300"]  # the capital found without its accent
    assert (rows["mali"][10], rows["mali"][11]) == ("", "مالي")  # a common word: only after a qualifier
