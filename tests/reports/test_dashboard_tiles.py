"""The dashboard's figure tiles and chart geometry: arrows, changes against last year, plan."""

from decimal import Decimal

from trungtam.reports.dashboard import Tile, _columns, _plan_bars, _width


def count(value, previous, plan=None):
    return Tile("opened", "Lớp đã mở", value, previous, 2025, plan=plan)


def rate(value, previous):
    return Tile("pass_rate", "Tỷ lệ hoàn thành", value, previous, 2025, is_rate=True)


def test_a_count_that_grew_shows_an_up_arrow_and_the_change_in_percent():
    tile = count(45, 40)
    assert (tile.direction, tile.arrow, tile.change) == ("up", "▲", Decimal("12.5"))
    assert tile.change_text == "+12,5%"
    assert tile.change_words == "Tăng so với năm 2025"


def test_a_count_that_fell_shows_a_down_arrow():
    tile = count(1634, 2000)
    assert (tile.direction, tile.arrow) == ("down", "▼")
    assert tile.change_text == "-18,3%"  # 366 ÷ 2000 = 18,3%


def test_an_unchanged_count_is_flat():
    tile = count(7, 7)
    assert (tile.direction, tile.change, tile.change_text) == ("flat", Decimal("0.0"), "không đổi")


def test_a_count_that_grew_from_zero_has_no_percentage():
    tile = count(3, 0)
    assert (tile.direction, tile.change, tile.change_text) == ("up", None, "tăng")


def test_rates_change_in_percentage_points():
    tile = rate(Decimal("97.4"), Decimal("95.1"))
    assert (tile.direction, tile.change) == ("up", Decimal("2.3"))
    assert tile.change_text == "+2,3 điểm %"
    assert rate(Decimal("90.0"), Decimal("92.5")).change_text == "-2,5 điểm %"


def test_no_comparison_without_last_years_figure_or_this_years():
    assert count(5, None).direction == ""
    assert count(5, None).change_words == "Năm 2025 chưa có số liệu để so sánh"
    assert rate(None, Decimal("80.0")).direction == ""
    assert rate(None, Decimal("80.0")).change_words == ("Chưa có số liệu để so sánh với năm 2025")


def test_percent_of_plan():
    tile = count(31, 36, plan=36)
    assert (tile.has_plan, tile.of_plan, tile.of_plan_width) == (True, Decimal("86.1"), "86.1")
    over = count(40, 36, plan=36)
    assert over.of_plan == Decimal("111.1") and over.of_plan_width == "100"
    assert count(3, 1).has_plan is False and count(3, 1).of_plan is None


def test_widths_are_plain_decimal_strings_for_svg():
    assert _width(1, 3) == "33.3"
    assert _width(0, 0) == "0" and _width(5, 0) == "0"
    assert _width(7, 7) == "100.0"


def test_plan_bars_share_one_scale():
    bars = _plan_bars([("party", "Đảng", 8, 10), ("state", "Nhà nước", 5, 2)])
    assert [(b.value_width, b.plan_width) for b in bars] == [("80.0", "100.0"), ("50.0", "20.0")]
    assert bars[0].of_plan == Decimal("80.0") and bars[1].of_plan == Decimal("250.0")


def test_month_columns_stand_on_one_baseline():
    columns = _columns([0, 10, 5] + [0] * 9)
    assert [c.month for c in columns] == list(range(1, 13))
    tallest = columns[1]
    assert (tallest.y, tallest.height) == ("18.0", "132.0")  # the whole drawing height
    assert Decimal(columns[2].y) + Decimal(columns[2].height) == 150
    assert Decimal(columns[0].height) == 0
    assert Decimal(_columns([0] * 12)[5].height) == 0
