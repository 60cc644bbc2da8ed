"""`groupbill x12 parse|validate` from the command line."""

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "x12"

CONTRACT = {
    "835": (
        "payments",
        {
            "payer_name",
            "payer_id",
            "payee_npi",
            "payee_tax_id",
            "payee_other_ids",
            "trace_number",
            "payment_amount",
            "payment_method",
            "payment_date",
            "claims",
            "provider_adjustments",
        },
    ),
    "271": (
        "subscribers",
        {
            "member_id",
            "patient_level",
            "relationship",
            "plan_active",
            "plan_begin",
            "plan_end",
            "benefits",
            "subscriber_benefits",
            "errors",
        },
    ),
    "999": ("groups", {"group_control_number", "status", "sets"}),
    "277": ("claims", {"patient_control_number", "payer_claim_number", "statuses", "lines"}),
    "837": (
        "claims",
        {
            "patient_control_number",
            "charge",
            "frequency",
            "place_of_service",
            "diagnoses",
            "payer_sequence",
            "other_payers",
            "lines",
        },
    ),
}


@pytest.mark.parametrize(
    "name", ["835_plb", "271_mh_benefits", "999_rejected", "277ca_rejected", "837p_group_with_addon"]
)
def test_parse_json_follows_the_contract(cli, name: str) -> None:  # noqa: F811
    code, out, err = cli("x12", "parse", str(FIXTURES / f"{name}.x12"), "--format", "json")
    data = json.loads(out)
    key, fields = CONTRACT[data["transaction"]]
    assert code == 0 and err == ""
    assert set(data[key][0]) == fields


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.x12")), ids=lambda p: p.stem)
def test_every_golden_prints_as_a_table(cli, path: Path) -> None:  # noqa: F811
    """The table view of every kind (a 278 once fell through to the 270 view: found by the fuzzer)."""
    code, out, err = cli("x12", "parse", str(path))
    assert code == 0 and err == "" and "X12 " in out


def test_835_json_amounts_are_two_decimal_strings(cli) -> None:  # noqa: F811
    data = json.loads(cli("x12", "parse", str(FIXTURES / "835_plb.x12"), "--format", "json")[1])
    payment = data["payments"][0]
    assert payment["payment_amount"] == "63.50" and payment["payment_date"] == "2026-12-04"
    assert payment["provider_adjustments"] == [{"reason": "WO", "amount": "12.50"}]
    line = payment["claims"][1]["lines"][0]
    assert line["adjustments"] == [
        {"group": "CO", "reason": "45", "amount": "27.00"},
        {"group": "PR", "reason": "3", "amount": "20.00"},
    ]
    assert set(line) == {
        "procedure_code",
        "modifiers",
        "charge",
        "paid",
        "units",
        "line_control_number",
        "adjustments",
        "remarks",
    }


def test_out_of_balance_835_is_a_warning_not_a_crash(cli, tmp_path: Path) -> None:  # noqa: F811
    text = (FIXTURES / "835_paid.x12").read_text().replace("CAS*CO*45*27", "CAS*CO*45*25")
    path = tmp_path / "off.x12"
    path.write_text(text)
    code, out, err = cli("x12", "parse", str(path))
    assert code == 0 and "835" in out
    assert "out of balance: claim GB0000000101" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("ISA*00*", "segment 1: ISA is truncated (7 of 106 characters)"),
        ("", "segment 1: empty input"),
        ("\x00\x01\x02", "segment 1: binary data, not X12 text"),
    ],
)
def test_malformed_input_is_one_line_and_exit_2(cli, tmp_path: Path, content: str, expected: str) -> None:  # noqa: F811
    path = tmp_path / "bad.x12"
    path.write_text(content)
    for command in ("parse", "validate"):
        code, out, err = cli("x12", command, str(path))
        assert code == 2 and err == f"error: {path}: {expected}\n"


def test_unexpected_segment_order_names_the_segment(cli, tmp_path: Path) -> None:  # noqa: F811
    text = (FIXTURES / "837p_group_with_addon.x12").read_text().replace("BHT*", "BXT*")
    path = tmp_path / "order.x12"
    path.write_text(text)
    code, _, err = cli("x12", "parse", str(path))
    assert code == 2 and err == f"error: {path}: segment 4: expected BHT, found BXT\n"


def test_validate_exit_codes(cli, tmp_path: Path) -> None:  # noqa: F811
    good = FIXTURES / "837p_telehealth_95.x12"
    assert cli("x12", "validate", str(good))[:2] == (0, f"{good}: valid\n")
    bad = tmp_path / "bad.x12"
    bad.write_text(good.read_text().replace("N4*SPRINGFIELD*IL*627011234~\n", "").replace("SE*31", "SE*30"))
    code, out, _ = cli("x12", "validate", str(bad))
    assert code == 1 and "(N4) missing" in out and out.startswith(f"{bad}: Line:")


NO_MAP = "judged by groupbill's reader because pyx12 has no map for 005010X279A1 271"


def test_validate_says_in_one_line_when_pyx12_cannot_judge(cli) -> None:  # noqa: F811
    path = FIXTURES / "ext_271_dependent_situational.x12"
    assert cli("x12", "validate", str(path)) == (0, f"{path}: valid; {NO_MAP}\n", "")


def test_validate_without_a_map_gives_our_readers_refusal(cli, tmp_path: Path) -> None:  # noqa: F811
    text = (FIXTURES / "271_mh_benefits.x12").read_text()
    bad = tmp_path / "bad.x12"
    bad.write_text(text.replace("PI*SACME1~\n", "PI*SACME1~\nXYZ*1~\n").replace("SE*19*", "SE*20*"))
    code, out, err = cli("x12", "validate", str(bad))
    assert (code, err) == (1, "")
    assert out == f"{bad}: segment 7: unexpected XYZ in loop 2100A (information source name); {NO_MAP}\n"


def test_validate_when_pyx12_fails_inside(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    import pyx12.x12n_document

    def broken(*args: object) -> bool:
        raise IndexError("list index out of range")

    monkeypatch.setattr(pyx12.x12n_document, "x12n_document", broken)
    path = FIXTURES / "ext_835_payee_fi_dtm_ranges.x12"
    code, out, err = cli("x12", "validate", str(path))
    assert (code, err) == (0, "")
    assert out == f"{path}: valid; judged by groupbill's reader because pyx12 failed inside on 005010X221A1 835\n"


def test_4010_is_refused_in_one_line_with_exit_2(cli, tmp_path: Path) -> None:  # noqa: F811
    text = (FIXTURES / "999_accepted.x12").read_text()
    path = tmp_path / "old.x12"
    path.write_text(text.replace("*00501*", "*00401*").replace("005010X231A1", "004010X231A1"))
    for command in ("parse", "validate"):
        code, out, err = cli("x12", command, str(path))
        assert (code, out) == (2, "")
        assert err == f"error: {path}: segment 1: X12 version 004010 is not supported (5010 only)\n"


def test_parse_prints_each_set_of_a_file_mixing_kinds(cli) -> None:  # noqa: F811
    path = FIXTURES / "ext_two_interchanges_999_277ca.x12"
    code, out, err = cli("x12", "parse", str(path), "--format", "json")
    assert (code, err) == (0, "")
    assert [d["transaction"] for d in json.loads(out)] == ["999", "999", "277", "999"]
    code, out, _ = cli("x12", "parse", str(path))
    assert code == 0 and out.count("X12 999") == 3 and out.count("X12 277") == 1


def test_parse_reads_several_interchanges_of_one_kind_as_one(cli, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "two.x12"
    path.write_text(
        (FIXTURES / "835_paid.x12").read_text() + (FIXTURES / "ext_835_payee_fi_dtm_ranges.x12").read_text()
    )
    code, out, err = cli("x12", "parse", str(path), "--format", "json")
    assert (code, err) == (0, "")
    assert [p["trace_number"] for p in json.loads(out)["payments"]] == ["EFT20261204", "EFT2026120400991"]
