"""Tests for cvpress.variants: what each variant keeps, drops (and why), and in which order. No TeX."""

from __future__ import annotations

import pytest
from conftest import CONTENT

from cvpress.content import load
from cvpress.errors import ContentError
from cvpress.model import Resume
from cvpress.variants import DEFAULT_VARIANT, resolve, select

ACME_HIGHLIGHTS = [
    {"text": "alpha", "priority": 3, "tags": ["ic"]},
    {"text": "beta", "priority": 1, "tags": ["lead"]},
    {"text": "gamma", "priority": 2},
    {"text": "delta", "priority": 1, "tags": ["ic"]},
    {"text": "epsilon", "priority": 2, "tags": ["lead"]},
]


def make(**variants) -> Resume:
    return Resume.model_validate({
        "basics": {"name": "Ada", "label": "Engineer", "summary": "Base summary."},
        "work": [
            {"name": "Acme", "positions": [
                {"position": "Lead", "highlights": ACME_HIGHLIGHTS},
                {"position": "Dev", "tags": ["junior"], "highlights": ["zeta"]},
            ]},
            {"name": "Other", "tags": ["hidden"], "positions": [{"position": "Eng", "highlights": ["eta"]}]},
        ],
        "education": [{"institution": "Uni"}],
        "skills": [{"name": "Languages", "keywords": ["Python"]}, {"name": "Deep", "tags": ["ic"]}],
        "projects": [{"name": "Engine", "highlights": [{"text": "theta", "priority": 1},
                                                        {"text": "iota", "priority": 3}]}],
        "variants": variants,
    })


def texts(selection, employer: int = 0, role: int = 0) -> list[str]:
    return [i.text for i in selection.work[employer].roles[role].highlights]


def reasons(selection) -> dict[tuple, str]:
    return {d.path: d.reason for d in selection.dropped}


# ---------------------------------------------------------------- filters


def test_no_variant_keeps_everything():
    selection = select(make(), "full")
    assert selection.variant is DEFAULT_VARIANT
    assert selection.sections == ["summary", "work", "education", "skills", "projects"]
    assert texts(selection) == ["alpha", "beta", "gamma", "delta", "epsilon"]
    assert [e.work.name for e in selection.work] == ["Acme", "Other"]
    assert selection.dropped == []
    assert len(selection.highlights()) == 9


def test_include_tags_keeps_only_tagged_highlights():
    selection = select(make(v={"include_tags": ["lead"]}), "v")
    assert texts(selection) == ["beta", "epsilon"]
    assert texts(selection, role=1) == []  # the role stays, without bullets
    why = reasons(selection)
    assert why[("work", 0, "positions", 0, "highlights", 0)] == "has none of include_tags ['lead']"
    assert ("work", 1, "positions", 0, "highlights", 0) in why
    assert ("work", 0, "positions", 0, "highlights", 1) not in why


def test_exclude_tags_on_an_employer():
    selection = select(make(v={"exclude_tags": ["hidden"]}), "v")
    assert [e.work.name for e in selection.work] == ["Acme"]
    assert reasons(selection) == {("work", 1): "tag 'hidden' is in exclude_tags"}


def test_exclude_tags_on_a_position():
    selection = select(make(v={"exclude_tags": ["junior"]}), "v")
    assert [r.position.position for r in selection.work[0].roles] == ["Lead"]
    assert reasons(selection) == {("work", 0, "positions", 1): "tag 'junior' is in exclude_tags"}


def test_exclude_tags_on_highlights_and_entries():
    selection = select(make(v={"exclude_tags": ["ic"]}), "v")
    assert texts(selection) == ["beta", "gamma", "epsilon"]
    assert [e.item.name for e in selection.entries["skills"]] == ["Languages"]
    assert reasons(selection) == {
        ("work", 0, "positions", 0, "highlights", 0): "tag 'ic' is in exclude_tags",
        ("work", 0, "positions", 0, "highlights", 3): "tag 'ic' is in exclude_tags",
        ("skills", 1): "tag 'ic' is in exclude_tags",
    }


def test_employer_whose_every_role_is_excluded_disappears():
    resume = make(v={"exclude_tags": ["solo"]})
    resume = resume.model_copy(update={"work": [resume.work[0], resume.work[1].model_copy(
        update={"positions": [resume.work[1].positions[0].model_copy(update={"tags": ["solo"]})]})]})
    selection = select(resume, "v")
    assert [e.work.name for e in selection.work] == ["Acme"]
    assert ("work", 1, "positions", 0) in reasons(selection)


def test_max_priority():
    selection = select(make(v={"max_priority": 2}), "v")
    assert texts(selection) == ["beta", "gamma", "delta", "epsilon"]
    assert texts(selection, role=1) == []  # "zeta" has the default priority, 3
    assert [i.text for i in selection.entries["projects"][0].highlights] == ["theta"]
    assert reasons(selection)[("work", 0, "positions", 0, "highlights", 0)] == "priority 3 is above max_priority 2"


def test_max_highlights_keeps_the_strongest_in_source_order():
    selection = select(make(v={"max_highlights": 2}), "v")
    assert texts(selection) == ["beta", "delta"]
    dropped = [path[-1] for path, why in reasons(selection).items() if why == "beyond max_highlights 2"]
    assert sorted(dropped) == [0, 2, 4]


def test_max_highlights_breaks_ties_by_source_order():
    selection = select(make(v={"max_highlights": 3}), "v")
    assert texts(selection) == ["beta", "gamma", "delta"]  # gamma and epsilon tie at 2: gamma comes first


def test_max_highlights_zero_drops_every_bullet():
    selection = select(make(v={"max_highlights": 0}), "v")
    assert selection.highlights() == []
    assert len(selection.dropped) == 9


def test_promote_tags_moves_tagged_highlights_first_keeping_order():
    selection = select(make(v={"promote_tags": ["lead"]}), "v")
    assert texts(selection) == ["beta", "epsilon", "alpha", "gamma", "delta"]
    assert selection.dropped == []


def test_promote_then_cap():
    selection = select(make(v={"promote_tags": ["ic"], "max_highlights": 2}), "v")
    assert texts(selection) == ["delta", "beta"]


def test_filters_combine():
    selection = select(make(v={"exclude_tags": ["lead"], "max_priority": 2}), "v")
    assert texts(selection) == ["gamma", "delta"]


# ---------------------------------------------------------------- overrides, sections


def test_label_and_summary_overrides():
    selection = select(make(v={"label": "Manager", "summary": "Other summary."}, plain={}), "v")
    assert (selection.label, selection.summary) == ("Manager", "Other summary.")
    plain = select(make(v={"label": "Manager"}, plain={}), "plain")
    assert (plain.label, plain.summary) == ("Engineer", "Base summary.")


def test_summary_override_shows_without_a_base_summary():
    resume = make(v={"summary": "Only in this variant."})
    resume = resume.model_copy(update={"basics": resume.basics.model_copy(update={"summary": None})})
    selection = select(resume, "v")
    assert selection.summary == "Only in this variant."
    assert "summary" in selection.sections


def test_sections_choose_and_order():
    selection = select(make(v={"sections": ["education", "work"]}), "v")
    assert selection.sections == ["education", "work"]
    assert list(selection.entries) == ["education"]
    assert [e.work.name for e in selection.work] == ["Acme", "Other"]
    why = reasons(selection)
    for section in ("summary", "skills", "projects"):
        assert why[(section,)] == "not in the variant's `sections`"
    assert ("languages",) not in why  # an empty section is not "dropped"


def test_sections_without_work_show_no_work():
    selection = select(make(v={"sections": ["skills"]}), "v")
    assert selection.work == [] and list(selection.entries) == ["skills"]


# ---------------------------------------------------------------- extends


def test_extends_merges_with_the_child_winning():
    resume = make(
        base={"description": "base", "max_priority": 2, "label": "Base label", "max_pages": 2},
        middle={"extends": "base", "label": "Middle label", "exclude_tags": ["lead"]},
        leaf={"extends": "middle", "max_pages": 1},
    )
    leaf = resolve(resume, "leaf")
    assert (leaf.description, leaf.max_priority, leaf.label, leaf.exclude_tags, leaf.max_pages) == \
        ("base", 2, "Middle label", ["lead"], 1)
    assert texts(select(resume, "leaf")) == ["gamma", "delta"]
    assert resolve(resume, "base").label == "Base label"  # a parent is not changed by its children


def test_extends_can_reset_a_parent_value():
    resume = make(base={"max_priority": 1}, child={"extends": "base", "max_priority": 9})
    assert texts(select(resume, "child")) == ["alpha", "beta", "gamma", "delta", "epsilon"]


def test_extends_merges_style_key_by_key():
    resume = make(base={"style": {"font_size": 10}}, child={"extends": "base", "style": {"paper": "a4"}})
    style = resolve(resume, "child").style
    assert (style.font_size, style.paper) == (10, "a4")


@pytest.mark.parametrize(("variants", "name", "cycle"), [
    ({"a": {"extends": "b"}, "b": {"extends": "a"}}, "a", "a -> b -> a"),
    ({"a": {"extends": "b"}, "b": {"extends": "c"}, "c": {"extends": "b"}}, "a", "a -> b -> c -> b"),
    ({"self": {"extends": "self"}}, "self", "self -> self"),
])
def test_extends_loops_are_errors(variants, name, cycle):
    with pytest.raises(ContentError, match=f"variant '{name}': `extends` loops through {cycle}$"):
        select(make(**variants), name)


# ---------------------------------------------------------------- unknown names


def test_unknown_variant_lists_the_known_ones():
    with pytest.raises(ContentError) as caught:
        select(make(b={}, a={}), "nope")
    assert str(caught.value) == "unknown variant 'nope' (variants in this file: a, b)"


def test_unknown_variant_without_any_defined():
    with pytest.raises(ContentError, match=r"unknown variant 'onepage' \(variants in this file: none defined\)"):
        select(make(), "onepage")


# ---------------------------------------------------------------- the shipped variants


@pytest.fixture(scope="module")
def shipped():
    return load(CONTENT)


def all_highlight_paths(resume) -> set[tuple]:
    return {("work", i, "positions", j, "highlights", k)
            for i, w in enumerate(resume.work) for j, p in enumerate(w.positions) for k in range(len(p.highlights))}


@pytest.mark.parametrize("name", ["full", "onepage", "manager"])
def test_every_highlight_is_kept_or_dropped_with_a_reason(shipped, name):
    selection = select(shipped, name)
    assert all(d.reason.strip() and d.what.strip() for d in selection.dropped)
    kept = [i.path for i in selection.highlights()]
    assert len(kept) == len(set(kept))
    dropped = {d.path for d in selection.dropped}
    for path in all_highlight_paths(shipped):
        covered = {path[:n] for n in range(1, len(path) + 1)} & dropped
        assert (path in kept) != bool(covered), path


def test_full_keeps_every_highlight(shipped):
    selection = select(shipped, "full")
    assert {i.path for i in selection.highlights()} == all_highlight_paths(shipped)
    assert selection.sections == ["summary", "work", "skills", "education"]


def test_manager_drops_ic_detail_and_puts_leadership_first(shipped):
    selection = select(shipped, "manager")
    kept = selection.highlights()
    assert not [i.text for i in kept if "ic-detail" in i.highlight.tags]
    expected = {("work", i, "positions", j, "highlights", k)
                for i, w in enumerate(shipped.work) for j, p in enumerate(w.positions)
                for k, h in enumerate(p.highlights) if "ic-detail" not in h.tags}
    assert {i.path for i in kept} == expected
    mixed = 0
    for employer in selection.work:
        for role in employer.roles:
            leads = ["leadership" in i.highlight.tags for i in role.highlights]
            assert leads == sorted(leads, reverse=True), (employer.work.name, role.position.position)
            mixed += len(set(leads)) == 2
            source = [i.path for i in role.highlights]
            led = [path for path, lead in zip(source, leads) if lead]
            assert led == sorted(led) and [p for p in source if p not in led] == sorted(set(source) - set(led))
    assert mixed >= 2  # roles where promotion changed the order: the check above is not vacuous
    assert "Web" not in [e.item.name for e in selection.entries["skills"]]
    assert selection.label == "Engineering Manager, Storage and Infrastructure"


def test_onepage_keeps_only_priority_one(shipped):
    selection = select(shipped, "onepage")
    kept = selection.highlights()
    assert kept and all(i.highlight.priority == 1 for i in kept)
    assert all(len(r.highlights) <= 4 for e in selection.work for r in e.roles)
    strongest = {("work", i, "positions", j, "highlights", k)
                 for i, w in enumerate(shipped.work) for j, p in enumerate(w.positions)
                 for k, h in enumerate(p.highlights) if h.priority == 1}
    assert {i.path for i in kept} == strongest  # no role has more than four


# ---------------------------------------------------------------- recipes checked against the content

def test_a_misspelled_include_tag_is_an_error_with_its_line_and_a_suggestion(write_content):
    from conftest import minimal

    text = minimal("Wrote it.").replace('highlights = ["Wrote it."]',
                                        'highlights = [{ text = "Wrote it.", tags = ["research"] }]')
    text += '\n[variants.academic]\ninclude_tags = ["reserch"]\npromote_tags = ["research", "resarch"]\n'
    with pytest.raises(ContentError) as caught:
        load(write_content(text))
    found = [(p.path, p.line, p.message) for p in caught.value.problems]
    assert caught.value.problems[0].source == 'include_tags = ["reserch"]'  # the recipe's line, as written
    line = next(n for n, s in enumerate(text.splitlines(), 1) if s.startswith("include_tags"))
    assert found == [
        ("variants.academic.include_tags[0]", line,
         "no entry, role or highlight has the tag 'reserch'; did you mean 'research'?"),
        ("variants.academic.promote_tags[1]", line + 1,
         "no entry, role or highlight has the tag 'resarch'; did you mean 'research'?"),
    ]


def test_an_include_tag_nothing_carries_lists_the_tags_there_are(write_content):
    from conftest import MINIMAL

    with pytest.raises(ContentError) as caught:
        load(write_content(MINIMAL + '\n[variants.v]\ninclude_tags = ["leadership"]\n'))
    [problem] = caught.value.problems
    assert problem.message == "no entry, role or highlight has the tag 'leadership' (no tags yet)"


def test_an_exclude_tag_nothing_carries_is_a_warning_not_an_error(write_content):
    from conftest import MINIMAL

    resume = load(write_content(MINIMAL + '\n[variants.v]\nexclude_tags = ["ic-detail"]\n'))
    assert select(resume, "v").warnings == [
        "exclude_tags names the tag 'ic-detail', which nothing in the content carries: it has no effect"]


def test_duplicate_sections_are_refused(write_content):
    from conftest import MINIMAL

    with pytest.raises(ContentError) as caught:
        load(write_content(MINIMAL + '\n[variants.v]\nsections = ["work", "skills", "work"]\n'))
    [problem] = caught.value.problems
    assert problem.path == "variants.v.sections" and "'work' is listed twice" in problem.message


@pytest.mark.tex
def test_a_role_left_without_highlights_is_a_warning_in_check_and_build(write_content, tmp_path):
    from conftest import MINIMAL, run_cli

    path = write_content(MINIMAL + "\n[variants.bare]\nmax_highlights = 0\n")
    expected = ("warning  bare: work[0].positions[0] (Analytical Engines: Programmer) keeps none of its 1 "
                "highlight: beyond max_highlights 0")
    checked = run_cli("check", "-c", str(path))
    assert checked.returncode == 0 and expected in checked.stderr.splitlines(), checked.stderr
    built = run_cli("build", "-c", str(path), "-o", str(tmp_path / "out"), "-v", "bare")
    assert built.returncode == 0 and expected in built.stderr.splitlines(), built.stderr


def test_what_is_dropped_is_described_by_its_own_words_cut_at_eight():
    long = "one two three four five six seven eight nine ten"
    resume = Resume.model_validate({
        "basics": {"name": "Ada"},
        "work": [{"name": "Acme", "positions": [{"position": "Lead", "highlights": [
            {"text": long, "tags": ["x"]}, {"text": "a b c d e f g h", "tags": ["x"]}, "kept",
            {"text": "weak", "priority": 3}]}]}],
        "education": [{"institution": "Uni of Somewhere", "tags": ["x"]}],
        "skills": [{"name": "Deep", "tags": ["x"]}],
        "variants": {"v": {"exclude_tags": ["x"], "max_highlights": 1}},
    })
    whats = {d.path: d.what for d in select(resume, "v").dropped}
    assert whats == {
        ("work", 0, "positions", 0, "highlights", 0): "one two three four five six seven eight …",
        ("work", 0, "positions", 0, "highlights", 1): "a b c d e f g h",
        ("work", 0, "positions", 0, "highlights", 3): "weak",
        ("education", 0): "Uni of Somewhere",
        ("skills", 0): "Deep",
    }


# ---------------------------------------------------------------- sections of one's own

def own(**variants) -> Resume:
    return Resume.model_validate({
        "basics": {"name": "Ada"},
        "work": [{"name": "Acme", "positions": [{"position": "Lead", "highlights": ["alpha"]}]}],
        "certificates": [{"name": "Cert"}],
        "sections": {
            "talks": {"title": "Talks", "entries": [
                {"title": "Strong", "priority": 1, "highlights": ["kappa", {"text": "lambda", "priority": 4}]},
                {"title": "Weak", "priority": 5, "tags": ["old"]}]},
            "patents": {"entries": [{"title": "A loom"}]},
        },
        "variants": variants,
    })


def test_a_variant_without_sections_shows_the_built_in_ones_then_the_content_s_own_in_file_order():
    selection = select(own(), "full")
    assert selection.sections == ["work", "certificates", "talks", "patents"]
    assert [e.path for e in selection.entries["talks"]] == [("sections", "talks", "entries", 0),
                                                           ("sections", "talks", "entries", 1)]
    assert [i.text for i in selection.entries["talks"][0].highlights] == ["kappa", "lambda"]


def test_a_variant_lists_its_own_sections_by_name_and_leaves_the_others_out_with_a_reason():
    selection = select(own(short={"sections": ["talks", "work"]}), "short")
    assert selection.sections == ["talks", "work"]
    why = {d.path: d.reason for d in selection.dropped}
    assert why[("sections", "patents")] == "not in the variant's `sections`"
    assert why[("certificates",)] == "not in the variant's `sections`"


def test_tags_and_max_priority_drop_entries_of_one_s_own_sections():
    selection = select(own(tight={"exclude_tags": ["old"]}, strong={"max_priority": 3}), "tight")
    assert [e.item.title for e in selection.entries["talks"]] == ["Strong"]
    strong = select(own(strong={"max_priority": 3}), "strong")
    assert [e.item.title for e in strong.entries["talks"]] == ["Strong"]  # the entry of priority 5 goes
    assert [i.text for i in strong.entries["talks"][0].highlights] == ["kappa"]  # and the highlight of 4
    why = {d.path: d.reason for d in strong.dropped}
    assert why[("sections", "talks", "entries", 1)] == "priority 5 is above max_priority 3"


def test_a_section_a_variant_names_that_does_not_exist_is_located_with_a_suggestion(write_content):
    path = write_content(CONTENT.read_text(encoding="utf-8") + '\n[sections.talks]\ntitle = "Talks"\n[[sections.talks.entries]]\ntitle = "T"\n'
                         '\n[variants.talkative]\nsections = ["work", "talk"]\n')
    with pytest.raises(ContentError) as caught:
        load(path)
    shown = caught.value.format()
    assert "variants.talkative.sections[1]: no section is called 'talk'; did you mean 'talks'?" in shown
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if row == 'sections = ["work", "talk"]')
    assert f"{path}:{line}:" in shown


def test_tags_of_one_s_own_sections_count_as_tags_the_content_carries():
    from cvpress.variants import content_tags

    assert "old" in content_tags(own())


# ---------------------------------------------------------------- languages, tailoring, recipes, warnings

BILINGUAL_TEXT = '''language = "en"
[basics]
name = "Ada"
label = { en = "Engineer", fr = "Ingénieure" }
summary = { en = "Builds things.", de = "Baut Dinge." }

[[work]]
name = "Acme"
[[work.positions]]
position = { en = "Lead", fr = "Responsable" }
highlights = [{ text = { en = "Shipped", fr = "Livré" } }, { text = { en = "Hidden", de = "Versteckt" }, tags = ["x"] },
              { text = { en = "Also hidden", fr = "Aussi caché" }, tags = ["x"] }]

[variants.fr]
language = "fr"
exclude_tags = ["x"]
label = { en = "Variant label", fr = "Libellé" }
[variants.fr-all]
language = "fr"
label = { en = "All", de = "Alle" }
[variants.other]
label = { en = "Other", de = "Andere" }
'''


def test_a_variant_language_picks_the_texts_and_counts_what_it_shows_untranslated(write_content):
    resume = load(write_content(BILINGUAL_TEXT))
    fr = select(resume, "fr")
    assert (fr.label, fr.summary, fr.name) == ("Libellé", "Builds things.", "fr")
    assert [i.text for i in fr.highlights()] == ["Livré"]
    assert fr.work[0].roles[0].position.position == "Responsable"
    # the summary only: the dropped highlight and the other variant's label are not shown in fr
    assert fr.warnings == [("1 text has no fr translation and falls back to another language "
                            "(`cvpress check --language fr` lists them)")]
    assert select(resume, "fr-all").warnings == [  # the summary, the highlight and its own label
        "3 texts have no fr translation and fall back to another language (`cvpress check --language fr` lists them)"]
    assert select(resume, "other").warnings == []  # English is the content's language: nothing falls back


def tailored(**variant) -> Resume:
    return Resume.model_validate({
        "basics": {"name": "Ada"},
        "work": [{"name": "Acme", "positions": [{"position": "Lead", "highlights": [
            {"text": "Ran Python services", "priority": 3}, {"text": "Moved Kafka and Python jobs", "priority": 3},
            {"text": "Hired a team", "priority": 1}]}]}],
        "projects": [{"name": "Engine", "highlights": [{"text": "Kafka connector", "tags": ["oss"], "priority": 3}]},
                     {"name": "Docs", "highlights": ["Wrote docs", "Cut costs", "Led reviews", "Ran audits"]}],
        "variants": {"v": variant},  # (BM25 weighs a term by how rare it is: the Docs make them rare)
    })


def test_highlights_that_say_the_match_terms_come_in_first_as_priority_one():
    selection = select(tailored(match_terms=["Kafka", "Python"], include_tags=["lead"], max_priority=2), "v")
    kept = selection.work[0].roles[0].highlights
    assert [(i.text, i.matched, i.highlight.priority, i.path[-1]) for i in kept] == [
        ("Moved Kafka and Python jobs", ("Kafka", "Python"), 1, 1), ("Ran Python services", ("Python",), 1, 0)]
    [project] = selection.entries["projects"][0].highlights
    assert (project.text, project.matched, project.highlight.priority) == ("Kafka connector", ("Kafka",), 1)
    assert {p: r for p, r in reasons(selection).items() if p[0] == "work"} == {
        ("work", 0, "positions", 0, "highlights", 2): "has none of include_tags ['lead']"}
    plain = select(tailored(include_tags=["lead"]), "v")  # without match_terms nothing is brought in
    assert plain.highlights() == [] and all(i.matched == () for i in select(tailored(), "v").highlights())


def test_more_terms_said_come_first_and_the_rest_keep_their_order():
    kept = select(tailored(match_terms=["Kafka", "Python"]), "v").work[0].roles[0].highlights
    assert [i.text for i in kept] == ["Moved Kafka and Python jobs", "Ran Python services", "Hired a team"]


def test_problems_name_the_key_and_suggest_a_name_or_list_the_known_ones():
    from cvpress.variants import problems

    resume = make(onepage={"extends": "onepag"}, manager={"extends": "zzz", "sections": ["wrok", "zzz"],
                                                          "include_tags": ["zzz"], "exclude_tags": ["leed", "qqq"]})
    assert problems(resume) == [
        (("variants", "onepage", "extends"),
         "variant 'onepage' extends 'onepag', which is not defined (variants in this file: 'manager')"),
        (("variants", "manager", "extends"),
         "variant 'manager' extends 'zzz', which is not defined (variants in this file: 'onepage')"),
        (("variants", "manager", "sections", 0), "no section is called 'wrok'; did you mean 'work'?"),
        (("variants", "manager", "sections", 1), "no section is called 'zzz' (sections: "
         + ", ".join(map(repr, resume.section_names())) + ")"),
        (("variants", "manager", "include_tags", 0),
         "no entry, role or highlight has the tag 'zzz' (tags in the content: 'hidden', 'ic', 'junior', 'lead')"),
        (("variants", "manager", "exclude_tags", 0), "no entry, role or highlight has the tag 'leed'; did you mean 'lead'?"),
    ]
    assert problems(make(a={"extends": "b"}, b={"extends": "a"})) == []  # a loop is resolve's error


def test_a_variant_extending_an_undefined_one_is_an_error():
    with pytest.raises(ContentError) as caught:
        select(make(leaf={"extends": "base"}, base={"extends": "gone"}), "leaf")
    assert str(caught.value) == "variant 'base' extends 'gone', which is not defined"


def test_tags_on_highlights_of_entries_count_as_tags_the_content_carries():
    from cvpress.variants import content_tags

    resume = Resume.model_validate({"basics": {"name": "Ada"}, "work": [], "projects": [
        {"name": "Engine", "highlights": [{"text": "theta", "tags": ["deep"]}]}]})
    assert content_tags(resume) == ["deep"]


def test_a_role_left_without_highlights_is_a_warning_with_every_reason():
    selection = select(make(v={"include_tags": ["ic"], "max_priority": 2, "exclude_tags": ["junior", "hidden"]}), "v")
    assert selection.warnings == []  # Lead keeps delta; Dev and Other are excluded, not emptied
    selection = select(make(v={"include_tags": ["lead"], "max_priority": 1, "exclude_tags": ["hidden"]}), "v")
    assert selection.warnings == [
        "work[0].positions[1] (Acme: Dev) keeps none of its 1 highlight: has none of include_tags ['lead']"]
    tight = make(v={"include_tags": ["lead"], "max_priority": 1, "exclude_tags": ["xyz"]})
    tight = tight.model_copy(update={"work": [tight.work[0].model_copy(update={"positions": [
        tight.work[0].positions[0].model_copy(update={"highlights": [
            h for h in tight.work[0].positions[0].highlights if h.text in ("alpha", "epsilon")]})]})]})
    assert select(tight, "v").warnings == [
        "exclude_tags names the tag 'xyz', which nothing in the content carries: it has no effect",
        ("work[0].positions[0] (Acme: Lead) keeps none of its 2 highlights: has none of include_tags ['lead']; "
         "priority 2 is above max_priority 1")]
    assert select(make(v={"sections": ["skills"], "max_highlights": 0}), "v").warnings == []  # no work shown


def test_max_priority_keeps_an_entry_of_exactly_that_priority():
    assert [e.item.title for e in select(own(v={"max_priority": 5}), "v").entries["talks"]] == ["Strong", "Weak"]


def test_an_excluded_first_entry_or_role_leaves_the_later_ones():
    resume = Resume.model_validate({
        "basics": {"name": "Ada"},
        "work": [{"name": "Acme", "tags": ["gone"], "positions": [{"position": "Lead"}]},
                 {"name": "Beta", "positions": [{"position": "Old", "tags": ["gone"]}, {"position": "New"}]}],
        "skills": [{"name": "Deep", "tags": ["gone"]}, {"name": "Languages"}],
        "sections": {"talks": {"entries": [{"title": "T"}]}},
        "variants": {"v": {"exclude_tags": ["gone"], "sections": ["work", "skills"]}},
    })
    selection = select(resume, "v")
    assert [r.position.position for e in selection.work for r in e.roles] == ["New"]
    assert [e.item.name for e in selection.entries["skills"]] == ["Languages"]
    assert {d.path: d.what for d in selection.dropped} == {
        ("work", 0): "Acme", ("work", 1, "positions", 0): "Beta: Old", ("skills", 0): "Deep",
        ("sections", "talks"): "section talks"}


def test_describe_uses_the_first_field_an_entry_has():
    from cvpress import model
    from cvpress.variants import describe

    assert describe(model.Volunteer(organization="Red Cross", position="Driver")) == "Red Cross"
    assert describe(model.Position(position="Lead")) == "Lead"
    assert describe(model.CustomEntry(title="A talk")) == "A talk"
    assert describe(model.Language(language="French")) == "French"
    assert describe(model.Basics.model_construct()) == "Basics"
    assert describe(model.Highlight(text="one two three four five six seven eight nine")) == \
        "one two three four five six seven eight …"
