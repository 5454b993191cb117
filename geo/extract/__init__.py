"""Extraction: a cleaned Article in, project / batch / stat records out.

Modules: sentences (split, offsets) → amounts, dates, stages, chains, origins, places → names
(name primitives), lists (enumerated items) → projects (which amounts/names become which records)
→ this file (assembly); tagger (a learned name tagger) names projects in body sentences where the
rules found no project, or only some items of a list, around heads (项目, 园, 基地 …) the rules left unexplained.

Decisions (documented here because consumers depend on them):
- Record.kind is "project", "batch" or "stat". "stat" holds amounts tied to no project or
  project count (region-wide output, revenue, targets, funds, and a firm's own output/revenue/
  assets, following the seed annotation's convention), kept so nothing is silently lost. Only
  kind "project" with amount_kind "investment" may feed investment totals; batches are
  aggregates and are never summed with projects.
- 签约投资额 counts as investment (the planned investment of signed projects); 签约额/签约金额 are
  contract. Plain 元 amounts without 万/亿 (prices such as 每度电0.3元) are ignored.
- Dates: the event's date. The most specific event date of the sentence (a day beats a
  month/quarter/year; ties go to the nearest one before the amount), except that a cumulative
  period (2022年以来) wins. With none, a date stated (or inherited) earlier in the same
  paragraph; a sentence pointing back to the event (此次, 当天, 其中…, 主会场/分会场, 云签约;
  not 会上, which often means a new meeting) takes the last date of the two paragraphs before;
  a bulleted paragraph (——…, 一是…) takes the last date since the paragraph introducing the
  list. Never the article date. Planned dates (计划今年9月开工, 力争2024年) are no event dates:
  they date only an output/revenue/profit target of their own sentence (力争2024年产值…); a
  project's expected output/revenue/profit (建成后…可达, 预计可实现) inherits no date. Future
  years in plans (预计到2025年) are not dates. An undated article gets its year from its text
  (the latest non-target year it states, dates.article_year) to resolve 今年, 2月3日, 一季度.
- Places: the most specific usable mention in the record's own part of the sentence, else the
  sentence, else 我市/该市/我县 resolved to the last city/county named, else earlier sentences
  of the paragraph and the two paragraphs before (venues only as a last resort), else the
  headline, else precision "unresolved". Venues in the record's sentence (在太原举办) and place
  names inside firm names are never sites. Headline sentences produce no records (they repeat
  the body) but serve as place fallback.
- Stage: the cue governing the record in its sentence (stages.find_stage); with none, the last cue
  of the nearest earlier sentence of this or the previous paragraph (the event the record belongs
  to: …项目集中开工。其中…, list items, field blocks in a row).
- Chain: a keyword in the project name, else in the sentence, else the chain of a well-known
  firm the record names (companies.csv `chain`; chain_keyword is then the firm's name). A batch
  in a sentence naming several chains gets none, unless its own name has the keyword. An
  unnamed project figure in a sentence about "the project" (项目建成投产后…) takes the chain of
  the last named project of the two paragraphs before.
- Origin: firm evidence (name prefix, companies.csv) beats cue phrases in the record's own
  sentence (赴上海驻点招商…对接3个项目), which beat the article's origin: cue phrases in the
  headline and first paragraphs (南下广东, 承接京津冀产业转移, 粤企…), applied to projects, and
  to batches in those lead paragraphs. Shanxi firms: origin None.
- Record ids are the first 16 hex chars of sha256("article_id|sentence_start|ordinal|kind"),
  where ordinal counts the records of one sentence in order of their anchor (amount or name).
  The same article text therefore always yields the same ids.
"""
from __future__ import annotations

import bisect
import collections
import dataclasses
import functools
import hashlib
import logging
import re

from rapidfuzz import fuzz

from geo.errors import GeoError
from geo.models import Article, Record
from .blocks import block_draft, merge_blocks
from .chains import classify_chain, distinct_chains
from .dates import DateSpan, article_year, find_dates
from .origins import CompanySpan, article_origin, companies_by_sentence, company_origin, name_origin
from .places import (PRECISION_RANK, PlaceContext, apply_place, common_place, copy_place, find_place_mentions, home_city,
                     headline_county, home_districts, narrow_zone, only_county)
from .lists import NUMBERING, numbered_line_items
from .projects import _ROUND_EVENT, PHASE_NAME, Draft, could_hold_records, drafts_for_sentence
from .sentences import join_references, split_sentences
from .stages import find_stage, mentions_stage
from .tagger import covered, plausible, tag_names
from .names import Span, bare_trade, names_a_sector

log = logging.getLogger("geo.extract")

__all__ = ["extract_records", "record_id"]

_ANAPHORA = re.compile(r"该(?:集团|公司|企业)|项目公司|合资公司")  # 项目公司: the firm that sets it up
# A sentence about "the project" just reported (项目建成投产后…, 谢振华说，该项目…): its unnamed
# project figures share that project's chain.
_PROJECT_REF = re.compile(r"(?:[^，,。：:]{0,12}(?:说|表示|介绍|称)[，,：:])?(?:预计)?(?:(?:该|这个|此|这一)?(?:建设)?项目|"
                          r"[一二三四]期(?:建设)?(?:项目|工程)|"
                          r"(?:[一二三四]期|全部|整体)?(?:建成|投产|达产|达效|投运)(?:后|以后))")  # (一期达产后，预计…)
# A sentence opening on "the" project or park just named (该储能产业园…, 该项目…), not on a place or firm.
_ANAPHORIC_LEAD = re.compile(r"[“\"]?该(?!县|市|区|镇|乡|村|省|公司|集团|企业)")
# A sentence opening on a figure with no subject or scope of its own (计划投资80亿元…, 年产值可达…): in a paragraph
# about a named project, that project's figure.
_SUBJECTLESS_FIGURE = re.compile(r"(?:计划|预计|拟)?(?:总)?投资(?:额|总额)?(?:约|达|为|近|超)?\d|"
                                 r"(?:预计)?(?:可)?(?:实现)?年(?:产值|营收|销售收入|利税)")
_PARK_LEAD = re.compile(r"(?:该|此|整个|届时)?(产业园|园区|基地)")  # a sentence about the park or base just named
_PHASES = re.compile(r"分[两二三四]期|第[一二三四]期|^[一二三四]期")  # phases of the project just named
# Words pointing back to the event just reported (此次签约, 当天开工, 其中…, a ceremony's
# 主会场/分会场, 云签约): the sentence shares that event's date even across a paragraph break.
_THIS_EVENT = re.compile(r"此次|本次|这次|当天|当日")  # this very event (not 其中: a part may be a period's)
_EVENT_DAYS = 31  # a date span this long or shorter is an event's (a day, a month), not a look back at a year
_EVENT_BACK = 8  # paragraphs an event reference looks back for such a date
_EVENT_REF = re.compile(r"此次|本次|这次|当天|当日|^其中|主会场|分会场|现场签约|签约现场|在现场|云签约|"
                        r"签约仪式上|集中(?:签约|开工|开复工|复工|投产|竣工)的")
_ZONE_ENDS = ("区", "园", "园区", "基地", "新城")  # what a zone's own name ends with (not a byname: 山西农谷)
# Paragraphs that are items of a list introduced by the paragraph before them.
_BULLET = re.compile(r"——|—|[-·•●▪]|[一二三四五六七八九十]是|（[一二三四五六七八九十]）")
# Expected results (建成后…可达, 预计可实现, 将突破): figures that describe the future.
_FORECAST = re.compile(r"(?:建成|投产|达产|达效|运营)(?:以)?后|预计|有望|可(?:实现|达|带动|新增|提供)|"
                       r"将(?:实现|达到|达|超|突破|新增|带动)")
_EXPECTED_KINDS = ("output", "revenue", "profit_tax")
_NAME_KEY_DROP = re.compile(r"[\s“”\"]")  # spaces and quotes do not tell two project names apart


def record_id(article_id: str, sentence_start: int, ordinal: int, kind: str) -> str:
    """Stable record id from where the record comes from (see module docstring)."""
    key = f"{article_id}|{sentence_start}|{ordinal}|{kind}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def extract_records(article: Article) -> list[Record]:
    """All project, batch and stat records of one article, in text order.

    Raises GeoError if `article` has no text string. Never returns investment sums: each
    record carries one amount with its kind; consumers total only kind "project" records
    with amount_kind "investment" (batches and stats are aggregates).
    """
    if not isinstance(getattr(article, "text", None), str):
        raise GeoError(f"extract_records needs an Article with text, got {type(article).__name__!r}")
    text = article.text
    # A labelled block (项目名称：… 总投资：…) is read as one "sentence" holding one project.
    sentences, blocks = merge_blocks(join_references(split_sentences(text), text), text)
    whole_firms, sent_firms = companies_by_sentence(text, [(s.start, s.end) for s in sentences])
    # A place name inside a firm's name (汾西重工) is the firm's, not a site, even if the mention
    # finder did not mark it.
    # A zone before a firm (浮山产业集聚区临汾染化集团) locates the firm: it stays a place; a zone's
    # byname heading a firm (山西农谷丹峰新能源有限公司) is the firm's brand.
    # A county written in full heading a firm's name (孝义市鹏飞集团) is kept, marked as the firm's
    # (see PlaceContext.site); a short form glued to the firm's words (山西临汾汾西重工) is its brand.
    mentions = []
    all_mentions = find_place_mentions(text)
    for m in all_mentions:
        if ((m.place is not None and m.place.kind == "zone" and m.text.endswith(_ZONE_ENDS))
                or not _inside_any(whole_firms, m.start, m.end)):
            mentions.append(m)
        elif (m.place is not None and m.place.precision == "county" and m.text[-1] in "市县区"
              and _heads_a_firm(whole_firms, m.start)):
            mentions.append(dataclasses.replace(m, via="company"))
    home = home_city(mentions)  # the article's own city (bare districts, zones narrowed by 我市)
    if "区" in text:
        county = headline_county(article.title if text.startswith(article.title or "\0") else "", mentions, home)
        extra = home_districts(text, mentions, home, county)
        if extra:
            mentions = sorted(mentions + extra, key=lambda m: m.start)
    ctx = PlaceContext(text, sentences, mentions)
    art_region, art_place = article_origin(_lead(article.title, sentences))
    records: list[Record] = []
    headline: list[Record] = []  # records of the headline line
    seen_names: dict[str, int] = {}
    last_named: tuple[int, Record] | None = None  # (paragraph, record) of the last named project
    body_names: list[str] = []  # names of the projects named so far
    last_block: Record | None = None  # the record of the last field block
    seen_facts: dict[tuple, list[str]] = {}  # (sentence, kind, amount) -> names
    earlier_stage: dict[int, str | None] = {}  # sentence index -> stage of the event before it
    # Dates are found only for sentences that can hold a record, and for the earlier sentences
    # those fall back on (memoised), so text without figures costs one regex test.
    # (the headline printed again under a page's navigation lines is the headline too, not a report of its own)
    title = (article.title or "").strip()
    body = [not (title and (s.paragraph == 0 and s.text in article.title or s.paragraph <= 3 and s.text.strip() == title))
            for s in sentences]
    sent_dates: dict[int, list[DateSpan]] = {}
    # An undated article's own year (latest year it reports on) resolves 今年, 2月3日, 一季度;
    # found on the first date look-up only.
    own_year: list[int | None] = []

    def dates_of(i: int) -> list[DateSpan]:
        if i not in sent_dates:
            s = sentences[i]
            if not own_year:
                hint = int(article.date_hint[:4]) if article.date_hint else None  # front matter's '2018-05'
                own_year.append(None if article.date else hint or article_year(text))
            sent_dates[i] = find_dates(s.text, article.date, context=text[max(0, s.start - 300):s.start],
                                       default_year=own_year[0])
        return sent_dates[i]

    carried: dict[int, list[DateSpan]] = {}
    para_start: dict[int, int] = {}  # paragraph number -> index of its first sentence
    for i, s in enumerate(sentences):
        para_start.setdefault(s.paragraph, i)

    def event_dates(i: int) -> list[DateSpan]:
        """Dates of sentence i, else the date it inherits: the event date is often stated once
        at the head of a paragraph (7月12日至13日，…), and 此次/当天/其中 refer back to the
        event of the previous paragraphs."""
        if i in carried:
            return carried[i]
        own = _events(dates_of(i))
        if own:
            carried[i] = finer_event(i, own)
            return carried[i]
        out: list[DateSpan] = []
        para = sentences[i].paragraph
        j = i - 1
        while j >= 0 and sentences[j].paragraph == para and not body[j]:
            j -= 1
        if j >= 0 and sentences[j].paragraph == para:
            out = event_dates(j)  # sentences before j were already folded into event_dates(j)
            out = finer_event(i, [min(out, key=_days)]) if out else []
        elif i in blocks or _BULLET.match(sentences[i].text):
            # A bulleted paragraph (——…, 一是…) continues the paragraph introducing the list: it
            # shares the last date stated since that paragraph began.
            k = i - 1
            while k >= 0 and body[k]:
                if events := _events(dates_of(k)):
                    out = [min(events, key=_days)]
                    break
                if k == para_start[sentences[k].paragraph] and not _BULLET.match(sentences[k].text):
                    break  # back at the start of the introducing paragraph
                k -= 1
        elif _EVENT_REF.search(sentences[i].text):
            # The event is the nearest dated one of the paragraphs before; a whole year or more there
            # (2022年，我市…: a look back) is passed over for an event of a day or a month further back
            # (2月22日，…“三个一批”活动 … 此次“三个一批”活动…).
            for k in range(i - 1, -1, -1):
                if body[k] and (events := _events(dates_of(k))):
                    best = min(events, key=_days)
                    if sentences[k].paragraph >= para - 2 and not out:
                        out = [best]
                    if best.days <= _EVENT_DAYS:
                        out = [best]
                        break
                if sentences[k].paragraph < para - _EVENT_BACK:
                    break
        carried[i] = out
        return out

    def finer_event(i: int, dates: list[DateSpan]) -> list[DateSpan]:
        """`dates` of sentence i, or, when they are a year or more and the sentence speaks of this very
        event (当天开工的…是2019年重点项目, 本次活动…), the event of a day or a month in that year stated
        up to eight paragraphs before."""
        if min(d.days for d in dates) <= _EVENT_DAYS or not _THIS_EVENT.search(sentences[i].text):
            return dates
        span = min(dates, key=_days)
        for k in range(i - 1, -1, -1):
            if sentences[k].paragraph < sentences[i].paragraph - _EVENT_BACK:
                break
            if body[k]:
                for d in _events(dates_of(k)):
                    if d.days <= _EVENT_DAYS and span.date <= d.date <= (span.date_end or span.date):
                        return [d]
        return dates

    def firms_of(i: int) -> list[CompanySpan]:
        return sent_firms[i]

    line_items = numbered_line_items([s.text for s in sentences]) if ("：" in text or ":" in text or "—" in text) else {}
    for index, sent in enumerate(sentences):
        if not body[index] and not could_hold_records(sent.text):
            continue  # a headline restates figures from the body; its places still serve as fallback
        block_site = None
        if index in blocks:
            # A field block names its firm in its own field (建设单位), see blocks.block_draft.
            draft, block_site = block_draft(blocks[index], text)
            drafts = [draft]
        else:
            drafts = []
            if could_hold_records(sent.text):
                companies = firms_of(index)
                if not companies and _ANAPHORA.search(sent.text):
                    # 该集团/该公司: the firm named last, standing at the start of this sentence.
                    earlier = _previous(sentences, body, index, firms_of, same_paragraph=False)
                    if earlier:
                        last_firm = earlier[-1]
                        companies = [CompanySpan(0, 0, last_firm.text, last_firm.known)]
                drafts = drafts_for_sentence(sent.text, companies, functools.partial(mentions_stage, sent.text))
            if index in line_items and not any(d.kind == "project" for d in drafts):
                # A numbered line under "…项目：" is one project named by the line (1.某某数据中心二期).
                item = line_items[index]
                drafts = [Draft("project", item.start, item.start, None, None, item, None, item=True)]
            if body[index] and _tagger_may_add(sent.text, drafts):
                drafts = drafts + _tagged_drafts(sent, all_mentions, firms_of(index), drafts)
        if not drafts:
            continue
        dates = event_dates(index)
        own_dates = dates_of(index)
        stated = _events(own_dates)
        facts = _SentenceFacts(sent.text)
        # Items of a list (A项目，B项目 / A、B、C等N个项目): each keeps to its own words.
        item_spans = _item_segments(sent.text, drafts)
        if item_spans:
            ctx.item_spans[index] = tuple((sent.start + a, sent.start + b) for a, b in item_spans.values())
        # Items keep to their own places (侯马经济开发区A项目，洪洞…B项目; A、B、稷山县C等24个项目), except that a
        # place heading the first item when no other item names one is the whole list's (清徐县A项目、B项目两个项目开工).
        placed = [bool(ctx.mentions_in(sent.start + a, sent.start + b)) for a, b in sorted(item_spans.values())]
        per_item = sum(placed) >= 2 or (sum(placed) == 1 and not placed[0])
        item_sites = []  # the sites of this sentence's projects so far (a batch after them is theirs together)
        for ordinal, draft in enumerate(drafts):
            own_span = item_spans.get(id(draft))
            others = [span for span in item_spans.values() if span != own_span]
            if draft.item and draft.company is not None and any(a <= draft.company.start < b for a, b in others):
                # A neighbour's firm: the firm before the list is the subject of every item
                # (X集团承担A公司厂房、B和C的建设), else none.
                draft.company = _list_subject(sent.text, firms_of(index), drafts)
            lead = sent.paragraph <= 2 or draft.kind == "project"
            when = dates
            if not stated and draft.amount is not None and draft.amount.kind in _EXPECTED_KINDS:
                if own_dates:
                    when = own_dates  # a target's date is the period its figure covers (力争2024年产值…)
                elif draft.kind != "batch" and _FORECAST.search(sent.text, 0, draft.amount.start):
                    # What a project will yield once built has no date from the event before it
                    # (a round's expected output, 此次…预计年产值, still has the event's date).
                    when = []
            rec = _record(article, sent, ordinal, draft, when, (art_region, art_place) if lead else (None, None),
                          facts)
            hi = sent.start + _anchor_end(draft)
            # An item's own words begin where the previous item ended (侯马经济开发区A项目: its zone heads it).
            lo = sent.start + (min(own_span[0], draft.lo) if own_span and per_item else draft.lo)
            if index in blocks:
                lo, hi = block_site or (sent.start, sent.end)  # the 建设地点 field, else the block
            mention, source = ctx.site(index, lo, hi,
                                       exclude=tuple((sent.start + a, sent.start + b) for a, b in others) if per_item else (),
                                       project=rec.kind == "project")
            if rec.kind == "batch" and mention is not None and source in ("segment", "sentence"):
                mention = ctx.listed_counties(mention, sent) or ctx.items_counties(mention, item_sites) or mention
            elif rec.kind == "batch" and mention is None and per_item:
                # 侯马经济开发区A项目，洪洞县B项目等2个项目 (or 2个项目，分别位于A县和B县): the items' one city
                mention = common_place(item_sites or [x for a, b in ctx.item_spans.get(index, ()) for x in ctx.mentions_in(a, b)])
            elif rec.kind == "project" and mention is not None and mention.place is not None:
                item_sites.append(mention)
            if mention is not None and mention.place is not None and len(mention.place.adcodes) > 1:
                mention = narrow_zone(mention, ctx.mentions_in(sent.start, sent.end), home, sent.text, text)
            if rec.stage is None and rec.kind != "stat":
                # A project or round whose sentence names no stage shares the stage of the event
                # reported just before it (…项目集中开工。其中…; list items; field blocks).
                if index not in earlier_stage:
                    earlier_stage[index] = _earlier_stage(sentences, body, index)
                rec.stage = earlier_stage[index]
            if index in blocks:
                # Blocks in a row share the event the text introduced them with.
                if last_block is not None:
                    rec.stage = rec.stage or last_block.stage
                    if rec.date is None:
                        rec.date, rec.date_end = last_block.date, last_block.date_end
                last_block = rec
            apply_place(rec, mention)
            log.debug("record %s place %r from %s", rec.id, rec.place_text, source)
            if not body[index]:
                headline.append(rec)  # kept only if the body never names it (see _headline_only)
                continue
            park = _PARK_LEAD.match(sent.text) if rec.kind == "stat" and rec.company is None else None
            if (park and last_named is not None and last_named[0] >= sent.paragraph - 2
                    and _core(last_named[1].name).endswith(park.group(1))):
                rec.kind = "project"  # 产业园3—5年内预计实现年产值…: the park just named as a project, not a zone
            elif (rec.kind == "stat" and rec.company is None and last_named is not None
                  and last_named[0] == sent.paragraph and _SUBJECTLESS_FIGURE.match(sent.text)):
                rec.kind = "project"  # …二期项目重任。计划投资80亿元，装机…: a figure with no subject is the project's
            if rec.kind == "project" and rec.name is None and (
                    _PROJECT_REF.match(sent.text) or (rec.company is None and last_named is not None
                                                      and last_named[0] == sent.paragraph)):
                # The figures of "the project" (该项目…, or nameless ones later in its paragraph:
                # 年产值可达…, 利税…) are the last named project's: they share its chain, and its
                # site when their own sentence names none.
                # (any paragraph back when the article so far names only that project: its figures come late)
                named = last_named if last_named and (last_named[0] >= sent.paragraph - 2 or _one_project(
                    body_names, last_named[1].name)) else None
                if named and rec.chain is None:
                    rec.chain, rec.chain_keyword = named[1].chain, named[1].chain_keyword
                if named and rec.company is None and named[1].company is not None:
                    rec.company = named[1].company  # and its firm (该项目总投资…: the firm just named)
                    if named[1].origin_region is not None:
                        rec.origin_region, rec.origin_place = named[1].origin_region, named[1].origin_place
                elif named and rec.company is None and rec.origin_region is None and named[1].origin_region is not None:
                    rec.origin_region, rec.origin_place = named[1].origin_region, named[1].origin_place  # (its investor's)
                if named and source not in ("segment", "sentence", "deictic") and PRECISION_RANK.get(
                        named[1].precision, 9) < PRECISION_RANK.get(rec.precision, 9):
                    copy_place(rec, named[1])
            elif (rec.kind == "project" and rec.company is None and last_named is not None and index > 0
                  and last_named[1].sentence_start in (sentences[index - 1].start, sent.start)
                  and last_named[1].company is not None and _ANAPHORIC_LEAD.match(sent.text)):
                # A sentence opening on the project named just before (…签订紫辰星储能产业园项目协议。该储能
                # 产业园暨光伏发电储能项目总投资25亿元，其中…): the projects it names are that firm's.
                named = last_named[1]
                rec.company, rec.origin_region, rec.origin_place = named.company, named.origin_region, named.origin_place
            elif (rec.kind == "project" and rec.precision == "unresolved" and last_named is not None
                  and last_named[0] >= sent.paragraph - 4 and _PHASES.search(sent.text)):
                # The phases of the project just named (项目分两期…，第一期建设X生产线): its site.
                copy_place(rec, last_named[1])
            phase = rec.kind == "project" and rec.name is not None and PHASE_NAME.fullmatch(rec.name)
            if phase and last_named is not None and last_named[0] >= sent.paragraph - 4:
                # A phase as a clause's subject (7月16日，一期开工建设) is a part of the project just
                # named: its name, its chain, and its site when the phase's own words name none.
                base = last_named[1]
                if rec.chain is None:
                    rec.chain, rec.chain_keyword = base.chain, base.chain_keyword
                if source not in ("segment", "sentence", "deictic") and PRECISION_RANK.get(
                        base.precision, 9) < PRECISION_RANK.get(rec.precision, 9):
                    copy_place(rec, base)
            if rec.kind == "project" and rec.name and not phase:
                last_named = (sent.paragraph, rec)
                body_names.append(rec.name)
            # (签约225个项目、投产225个项目: two rounds of one count are two batches)
            same = (sent.start, rec.kind, rec.amount_yi, rec.amount_kind, rec.stage if rec.kind == "batch" else None)
            if rec.name is not None and any(rec.name in n or n in rec.name for n in seen_facts.get(same, ())):
                continue  # the same project and amount twice in one sentence (a restatement): one fact
            if rec.name is not None:
                seen_facts.setdefault(same, []).append(rec.name)
            name_key = _known_key(_name_key(draft), seen_names)
            if name_key and name_key in seen_names and (draft.amount is None or records[seen_names[name_key]].amount_yi is None):
                # The same project named again: keep one record, the better-documented one.
                earlier = seen_names[name_key]
                records[earlier] = _better_of(records[earlier], rec)
                if last_named is not None and last_named[1] is rec:
                    last_named = (sent.paragraph, records[earlier])  # its figures go with the one kept
                continue
            if name_key:
                seen_names[name_key] = len(records)
            records.append(rec)
    records = _headline_only(headline, records) + records
    if any(r.date is None and r.kind in ("project", "batch") for r in records):
        _lead_event_date(records, [d for i in range(len(sentences)) if body[i] for d in _events(dates_of(i))])
    _short_names_to_their_site(records)
    _province_projects_to_only_city(records, mentions)
    _narrow_to_only_county(records, only_county(all_mentions), home)  # (those just moved to the city too)
    return _ceremony_batches(_fold_into_batches(_fold_into_named(records, article), text))


_NAMED_THING = re.compile("项目|工程|园|基地|中心|生产线|站|厂|馆|景区|港区|新区|度假区|小镇|综合体|管道|铁路|公路|高速|专用线|地铁|[0-9一二三四五六七八九十]号线")


def _tagger_may_add(sentence: str, drafts: list[Draft]) -> bool:
    """Whether the learned tagger looks for names in a body sentence: one the rules found no project in,
    or a list (、) whose items the rules may have found only in part."""
    return not any(d.kind == "project" for d in drafts) or "、" in sentence


def _tagged_drafts(sent, mentions, firms: list[CompanySpan], drafts: list[Draft]) -> list[Draft]:
    """Projects the learned tagger names in a body sentence (tagger.py), beside the rules' `drafts`:
    only names that overlap none of theirs and look like a name (tagger.plausible)."""
    n = len(sent.text)
    if n < 8 or n > 400 or not _NAMED_THING.search(sent.text):
        return []
    places = [(m.start - sent.start, m.end - sent.start) for m in mentions if m.end > sent.start and m.start < sent.end]
    firm_spans = [(c.start, c.end) for c in firms]
    taken = [(d.name.start, d.name.end) for d in drafts if d.name]
    # A name the rules missed has a head of its own: not one inside a place (开发区), a firm or a name found.
    # The tagger reads only the words around such heads (a name ends at or a little after its head).
    known = places + firm_spans + taken
    windows: list[list[int]] = []
    for m in _NAMED_THING.finditer(sent.text):
        if not any(x <= m.start() and m.end() <= y for x, y in known):
            a, b = max(0, m.start() - _BEFORE_HEAD), min(n, m.end() + _AFTER_HEAD)
            if windows and a <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], b)
            else:
                windows.append([a, b])
    if not windows:
        return []
    in_place, in_firm = covered(n, places), covered(n, firm_spans)
    staged = mentions_stage(sent.text, 0, n)
    spans = [(a0 + a, a0 + b) for a0, b0 in windows
             for a, b in tag_names(sent.text[a0:b0], in_place[a0:b0], in_firm[a0:b0], staged)]
    return [Draft("project", a, a, name=Span(a, b, sent.text[a:b])) for a, b in spans
            if plausible(sent.text, a, b) and not any(a < y and x < b for x, y in taken)
            and not (bare_trade(sent.text[a:b]) or names_a_sector(sent.text[a:b]))]


# How far before and after a head the tagger reads (window lengths, characters): wider windows found a few
# more names in the names sets (40/10: +1–2 per set) and cost ~10 % more extraction time.
_BEFORE_HEAD, _AFTER_HEAD = 28, 6


def _short_names_to_their_site(records: list[Record]) -> None:
    """A project named in short (太原惠科项目) and placed only at a city or less takes the finer site of the
    project the article named in full before (太原惠科20万吨电子铜箔项目 in 阳曲县): the same project."""
    fine: list[Record] = []
    for rec in records:
        if rec.kind != "project" or not rec.name:
            continue
        rank = PRECISION_RANK.get(rec.precision, 9)
        if rank <= PRECISION_RANK["county"]:
            fine.append(rec)
            continue
        core = _core(rec.name)
        for full in reversed(fine):
            if (len(core) >= 4 and core != _core(full.name) and core in full.name
                    and (rec.city_adcode is None or rec.city_adcode == full.city_adcode)):
                copy_place(rec, full)
                break


def _one_project(names: list[str], name: str) -> bool:
    """Whether every name given so far names the project `name` (in full or in part)."""
    core = _core(name)
    return all(core in _core(n) or _core(n) in core for n in names)


def _narrow_to_only_county(records: list[Record], county, home: str | None) -> None:
    """Projects placed only at a city (or nowhere) in an article that names one county of that city
    (a firm's home county included) are that county's: the article is about it. Not when the record's
    own sentence names the county: the sentence gave it to another part (a list's other item)."""
    if county is None or home not in (None, county.place.city_adcode):
        return
    for rec in records:
        if (rec.kind == "project" and county.text not in rec.sentence
                and (rec.precision == "unresolved"
                     or rec.precision == "city" and rec.city_adcode == county.place.city_adcode)):
            apply_place(rec, county)


def _headline_only(headline: list[Record], records: list[Record]) -> list[Record]:
    """The headline's named projects the body does not name (某某输气管道顺利投产 over a body about its
    route): a headline restates the body's figures (so none with a figure is kept) and often names the
    body's project in short (so none like a body name is kept), but a project only it names is kept."""
    body = [_core(r.name) for r in records if r.kind == "project" and r.name]
    # The headline's may be a short form of one the body names (鸿远玻纤项目): kept only if unlike all of them.
    return [h for h in headline if h.kind == "project" and h.name and h.amount_yi is None and len(_core(h.name)) >= 4
            and not any(fuzz.partial_ratio(_core(h.name), b) >= _HEADLINE_LIKE for b in body)]


_HEADLINE_LIKE = 50  # rapidfuzz partial_ratio at which a headline's name restates a body name


def _core(name: str) -> str:
    return re.sub(r"[“”\"‘’]|项目$", "", name)


def _province_projects_to_only_city(records: list[Record], mentions) -> None:
    """Projects placed only at the province (山西 heading a name: 山西师范大学临汾学院新校区), or nowhere,
    in an article whose places all lie in one city are that city's, when the article names the city itself."""
    cities = {m.place.city_adcode for m in mentions if m.place is not None and m.place.city_adcode}
    named = [m for m in mentions if m.place is not None and m.place.precision == "city"]
    if len(cities) != 1 or not named:
        return
    for rec in records:
        if rec.kind == "project" and rec.precision in ("province", "unresolved"):
            apply_place(rec, named[0])


def _ceremony_batches(records: list[Record]) -> list[Record]:
    """Rounds known only by their ceremony (…重点项目集中开工仪式, see projects._ROUND_EVENT): one per
    stage, and none where the article gives a batch of that stage with a count or total."""
    counted = {r.stage for r in records if r.kind == "batch" and not _is_ceremony(r)}
    chosen: dict[str | None, Record] = {}
    for rec in records:
        if _is_ceremony(rec) and rec.stage not in counted:
            if rec.stage not in chosen or (not _DAY.search(chosen[rec.stage].sentence) and _DAY.search(rec.sentence)):
                chosen[rec.stage] = rec  # the report of the day (3月15日，…仪式在…举行) rather than a headline
    keep = {id(r) for r in chosen.values()}
    return [r for r in records if not _is_ceremony(r) or id(r) in keep]


_DAY = re.compile(r"\d{1,2}月\d{1,2}日")


def _is_ceremony(rec: Record) -> bool:
    return (rec.kind == "batch" and rec.project_count is None and rec.amount_yi is None and rec.name is not None
            and _ROUND_EVENT.fullmatch(rec.name) is not None)


# "该项目总投资…" opening the sentence after a project named without a figure (X项目举行开工仪式。
# 据悉，该项目总投资16亿元…): the figure is that project's.
_THE_PROJECT = re.compile(r"(?:据(?:悉|了解|介绍)[，,])?(?:(?:该|此|这个|这一)项目|(项目)(?=(?:计划)?总投资|投资总额))")
# …or the kind of thing it named (X产业园项目开工。据悉，该产业园计划投资39亿元): that word must be in the name.
_THE_NAMED = re.compile(r"(?:据(?:悉|了解|介绍)[，,])?(?:该|此|这个|这一)(产业园|园区|基地|工程|工厂|生产线|电站|中心|"
                        r"综合体|小镇)(?:项目)?")
_FIGURE_LEAD = re.compile(r"(?:项目)?(?:总投资|基础投资|计划总投资|投资总额|固定资产投资|计划投资)(?:约|达|为)?\d")
_AMOUNT_FIELDS = ("amount_yi", "amount_max_yi", "amount_text", "amount_kind", "currency", "qualifier")


def _fold_into_named(records: list[Record], article: Article) -> list[Record]:
    """A nameless project figure about "the project" (该项目总投资…) that follows, within the next
    paragraph but one, the one project its sentence named without an amount is that project's amount: one
    record, whose sentence runs over both, instead of a named record and a nameless one."""
    named_in = collections.Counter(r.sentence_start for r in records if r.kind == "project" and r.name)
    batch_sentences = {r.sentence_start for r in records if r.kind == "batch"}
    out: list[Record] = []
    last: Record | None = None
    batch_since = False  # a batch reported since `last` (its sentence included): a bare 项目总投资 may be the batch's
    for rec in records:
        if (last is not None and rec.name is None and rec.amount_kind == "investment"
                and rec.sentence_start > last.sentence_start and _is_figure_of(rec, last, article.text, batch_since)):
            rec.kind = "project"
            for name in _AMOUNT_FIELDS:
                setattr(last, name, getattr(rec, name))
            end = rec.sentence_start + len(rec.sentence)
            last.sentence = article.text[last.sentence_start:end]
            if article.original_text is not None:
                last.sentence_original = article.original_text[last.sentence_start:end]
            if PRECISION_RANK.get(rec.precision, 9) < PRECISION_RANK.get(last.precision, 9):
                copy_place(last, rec)
            for name in ("company", "chain", "chain_keyword", "stage", "date", "date_end"):
                if getattr(last, name) is None:
                    setattr(last, name, getattr(rec, name))
            last = None
            continue
        out.append(rec)
        if rec.kind == "project" and rec.name:
            one = named_in[rec.sentence_start] == 1 and rec.amount_yi is None and not PHASE_NAME.match(rec.name)
            last = rec if one else None  # (not a phase: 该项目 after 第四期项目投产 is the whole project)
            batch_since = last is not None and rec.sentence_start in batch_sentences
        elif rec.kind == "batch":
            batch_since = True
    return out


def _is_figure_of(rec: Record, last: Record, text: str, batch_since: bool) -> bool:
    """Whether the nameless figure `rec` is about the project `last` (see _fold_into_named): it opens on "the"
    project (该项目…; a bare 项目总投资 only when no round was reported since) or on the kind of thing `last` is
    (该产业园…), at most one line further on; or its bare figure follows the sentence that names `last`
    (…X项目是今年的省级重点工程。基础投资10亿元，占地约280亩)."""
    the = _THE_PROJECT.match(rec.sentence) if rec.kind == "project" else None
    free = rec.kind in ("project", "stat") and rec.company is None
    if ((the is not None and not (the.group(1) and batch_since)
         or free and _names_the_kind(rec.sentence, last.name))
            and _lines_between(text, last.sentence_start, rec.sentence_start) <= 1):
        return True
    return free and _FIGURE_LEAD.match(rec.sentence) is not None and last.name in _sentence_before(text, rec.sentence_start)


def _names_the_kind(sentence: str, name: str) -> bool:
    """Whether `sentence` opens on "the" park, base, plant… (该产业园…) and `name` is one (…产业园项目)."""
    m = _THE_NAMED.match(sentence)
    return m is not None and m.group(1) in name


def _sentence_before(text: str, start: int) -> str:
    """The sentence of `text` that ends right before `start` (within its paragraph; its last 400 characters), or ''."""
    head = text[max(0, start - 400):start].rstrip(" \t\u3000")
    if not head.endswith(("。", "！", "？", "；")):
        return ""
    return head[max(head.rfind(c, 0, len(head) - 1) for c in "。！？；\n") + 1:]


def _lines_between(text: str, start: int, end: int) -> int:
    """Non-blank whole lines between the line holding `start` and the one holding `end`."""
    return sum(1 for line in text[start:end].split("\n")[1:-1] if line.strip())


# A clause about "the projects" just counted (重点项目51个，…；项目总投资347亿元): their total.
def _next_to(text: str, before: int, at: int) -> bool:
    """Whether the sentence at `at` follows the one at `before` in its paragraph, or opens the next one."""
    between = text[before:at]
    return "\n" not in between or (between.count("\n") == 1 and between.rstrip(" \t\u3000").endswith("\n"))


_BATCH_TOTAL_REF = re.compile(r"(?:(?:这些|上述|以上|此次|本次|这批|该批|此批)项目|项目|计划|共|合计|累计)*总投资")
_PARTS_LEAD = re.compile(r"其中[：:，,]?")  # a sentence listing the parts of the batch before it


def _fold_into_batches(records: list[Record], text: str) -> list[Record]:
    """A nameless, firmless "project" whose clause opens with 项目总投资 right after a counted
    batch without an amount (离石区拟实施重点项目51个，其中…；项目总投资347亿元) is that batch's
    total: the amount moves to the batch and no project is left to feed investment totals."""
    out: list[Record] = []
    for rec in records:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "batch" and prev.amount_yi is None and prev.project_count
                and rec.kind in ("project", "stat") and rec.name is None and rec.company is None
                and rec.amount_kind == "investment" and rec.sentence_start > prev.sentence_start
                and _next_to(text, prev.sentence_start, rec.sentence_start)
                and _BATCH_TOTAL_REF.match(rec.sentence)):
            # The whole, not a part of it (…项目51个，其中省级3个、市级11个；项目总投资…).
            same = [r for r in out if r.kind == "batch" and r.sentence_start == prev.sentence_start]
            whole = max(same, key=lambda r: r.project_count or 0)
            if _PARTS_LEAD.match(prev.sentence):
                # The parts of a batch counted before (48个项目。其中：20个县级项目，28个乡镇项目。项目总投资…):
                # the total is that batch's, or restates it.
                before = [r for r in out if r.kind == "batch" and r.sentence_start < prev.sentence_start
                          and not _PARTS_LEAD.match(r.sentence) and (r.project_count or 0) > (whole.project_count or 0)]
                whole = before[-1] if before else whole
                if whole.amount_yi is not None and abs(whole.amount_yi - rec.amount_yi) < 1e-9:
                    continue  # the batch's total stated again: no project of its own
            if whole.amount_yi is None:
                for name in _AMOUNT_FIELDS:
                    setattr(whole, name, getattr(rec, name))
                continue
        out.append(rec)
    return out


# What opens the first item: a separator or a listing verb (…签订了A、B项目 / 包括A、B).
_ITEM_OPENING = re.compile(r"[：:，,；;]|签订了?|签署了?|签约了?|包括|涉及|分别是|分别为|主要有")


def _item_segments(sentence: str, drafts: list[Draft]) -> dict[int, tuple[int, int]]:
    """The words of each list item, keyed by id(draft): from the end of the previous item's name
    (the first item: from the clause opening it) to the end of its own. Empty unless the sentence
    lists two or more items. A firm or place before the first item is the whole list's."""
    items = sorted((d for d in drafts if d.item and d.name is not None), key=lambda d: d.name.start)
    if len(items) < 2:
        return {}
    out = {}
    lo = max((m.end() for m in _ITEM_OPENING.finditer(sentence, 0, items[0].name.start)), default=0)
    for d in items:
        out[id(d)] = (min(lo, d.name.start), d.name.end)
        lo = d.name.end
    return out


def _list_subject(sentence: str, companies: list[CompanySpan], drafts: list[Draft]) -> CompanySpan | None:
    """The last firm named before the first item of a list (its subject), if any; not one that
    describes the first item (X集团与Y合作的A项目、B项目: X is A's)."""
    first = min((d.name.start for d in drafts if d.item and d.name is not None), default=0)
    before = [c for c in companies if c.end <= first and "的" not in sentence[c.end:first]]
    return before[-1] if before else None


def _heads_a_firm(spans: list[CompanySpan], start: int) -> bool:
    """True if a firm's name (spans sorted by start) begins at `start`."""
    i = bisect.bisect_left([c.start for c in spans], start)
    return i < len(spans) and spans[i].start == start


def _inside_any(spans: list[CompanySpan], start: int, end: int) -> bool:
    """True if [start, end) lies inside one of `spans` (sorted by start)."""
    for c in spans:
        if c.start > start:
            return False
        if end <= c.end:
            return True
    return False


def _previous(sentences, body: list[bool], index: int, found, same_paragraph: bool) -> list:
    """What `found(j)` gives for the nearest earlier body sentence j where it is non-empty
    (within the paragraph of `index` if `same_paragraph`); [] if there is none."""
    for j in range(index - 1, -1, -1):
        if same_paragraph and sentences[j].paragraph != sentences[index].paragraph:
            break
        if body[j]:
            hits = found(j)
            if hits:
                return hits
    return []


def _lead(title: str, sentences) -> str:
    """Headline plus the first two paragraphs: where an article states whom it is about."""
    body = [s.text for s in sentences if s.paragraph <= 2]
    return "\n".join([title or "", *body])


def _score(rec: Record) -> int:
    return sum(x is not None for x in (rec.amount_yi, rec.company, rec.date, rec.place_text))


def _better_of(old: Record, new: Record) -> Record:
    """One record for a project named twice in an article: the one with an amount, else the better
    documented (the earlier on a tie), completed with the other's firm, date and finer place."""
    if (new.amount_yi is not None) == (old.amount_yi is not None) and _score(new) <= _score(old):
        keep, other = old, new
    elif old.amount_yi is not None and new.amount_yi is None:
        keep, other = old, new
    else:
        keep, other = new, old
    if keep.company is None and other.company is not None:
        keep.company, keep.origin_region, keep.origin_place = other.company, other.origin_region, other.origin_place
    if keep.date is None and other.date is not None:
        keep.date, keep.date_end = other.date, other.date_end
    if PRECISION_RANK.get(other.precision, 9) < PRECISION_RANK.get(keep.precision, 9):
        copy_place(keep, other)  # where it was named, more precisely
    return keep


def _anchor_end(draft: Draft) -> int:
    ends = [x.end for x in (draft.amount, draft.name) if x is not None]
    return max(ends) if ends else draft.anchor


def _name_key(draft: Draft) -> str | None:
    if draft.kind != "project" or draft.name is None:
        return None
    if draft.amount is not None and draft.amount.kind not in ("investment", "contract", "orders"):
        return None  # output/profit figures of a project are its child records, never merged
    return _NAME_KEY_DROP.sub("", draft.name.text)


_PLACE_HEAD = re.compile(r"^[\u4e00-\u9fff]{1,4}?[市县区]")  # 盐湖区黄河…项目: the county heading a name


def _known_key(key: str | None, seen: dict[str, int]) -> str | None:
    """The key of a project named before under this name with or without its county in front
    (盐湖区X项目, then X项目), else `key`. Two names with different counties stay apart."""
    if not key or key in seen:
        return key
    bare = _PLACE_HEAD.sub("", key)
    if bare != key:
        return bare if bare in seen else key
    return next((k for k in seen if k.endswith(key) and _PLACE_HEAD.sub("", k) == key), key)


class _SentenceFacts:
    """Chain and origin facts of one sentence, computed once for all of its records (on first use)."""

    def __init__(self, sentence: str):
        self.sentence = sentence
        self._best: tuple[str | None, str | None] | None = None
        self._several: bool | None = None
        self._origin: tuple[str | None, str | None] | None = None

    def best(self) -> tuple[str | None, str | None]:
        """classify_chain(None, sentence): the sentence's own best keyword."""
        if self._best is None:
            self._best = classify_chain(None, self.sentence)
        return self._best

    def several(self) -> bool:
        """True when the sentence names two or more distinct chains."""
        if self._several is None:
            self._several = len(distinct_chains(self.sentence)) >= 2
        return self._several

    def origin(self) -> tuple[str | None, str | None]:
        """Origin the sentence's own cue phrases point to (赴上海招商, 在深圳举行的推介会上)."""
        if self._origin is None:
            self._origin = article_origin(self.sentence)
        return self._origin


_SITE_OF = re.compile(r"[\u4e00-\u9fff]{1,10}?(?:区|县|市|镇|乡)的(?=[^的]{4})")


def _record(article: Article, sent, ordinal: int, draft: Draft, dates: list[DateSpan], art_origin,
            facts: _SentenceFacts) -> Record:
    a = draft.amount
    name = draft.name.text if draft.name else None
    if name and (site_of := _SITE_OF.match(name)):
        name = name[site_of.end():]  # 高新区的立讯电子信息产业园二期: the place is its site, not its name
    rec = Record(
        id=record_id(article.id, sent.start, ordinal, draft.kind),
        kind=draft.kind,
        article_id=article.id,
        sentence=sent.text,
        sentence_start=sent.start,
        name=name,
        company=draft.company.text if draft.company else None,
        project_count=draft.count,
    )
    if article.original_text is not None:
        rec.sentence_original = article.original_text[sent.start:sent.end]
    if a is not None:
        rec.amount_yi, rec.amount_max_yi, rec.amount_text = a.value_yi, a.max_yi, a.text
        rec.amount_kind, rec.currency, rec.qualifier = a.kind, a.currency, a.qualifier
    # classify_chain(name, sentence): the name's keyword, else the sentence's (not for a list
    # item: the sentence's words belong to its neighbours).
    rec.chain, rec.chain_keyword = classify_chain(name, "") if name else (None, None)
    if rec.chain is None and not draft.item:
        rec.chain, rec.chain_keyword = facts.best()
    known = draft.company.known if draft.company else None
    if rec.chain is None and known is not None and known.chain:
        # No chain word in the sentence: a well-known firm's own industry (比亚迪 → 新能源汽车).
        rec.chain, rec.chain_keyword = known.chain, known.name
    if draft.kind == "batch" and facts.several() and not (name and rec.chain_keyword and rec.chain_keyword in name):
        # A round spanning several industries (涵盖…、…等领域), unless its own name says which
        # (16个氢能产业项目 beside the firms it attracted).
        rec.chain = rec.chain_keyword = None
    if draft.kind != "stat":
        anchor = draft.name.start if draft.kind == "batch" and draft.name else draft.anchor
        own = draft.kind == "batch" and draft.name is not None and mentions_stage(sent.text, draft.name.start, draft.name.end)
        # A count stating its stage (签约项目已开工12个) is at that stage.
        rec.stage = ((find_stage(sent.text, draft.name.end, draft.name.start, draft.name.end) if own else None)
                     or find_stage(sent.text, anchor, draft.lo) or find_stage(sent.text, anchor))
        region, place = company_origin(draft.company) if draft.company else (None, None)
        if region is None and draft.kind == "project" and name and not (draft.company and _is_shanxi_firm(draft.company)):
            # A project named after its investor's home (深圳紫辰星襄汾储能产业园项目, 浙江运达…基地项目), also
            # when the firm found in its sentence says nothing of where it is from.
            region, place = name_origin(name)
        if region is None and not (draft.company and _is_shanxi_firm(draft.company)):
            region, place = facts.origin()
            if region is None:
                region, place = art_origin
        rec.origin_region, rec.origin_place = region, place
    when = _date_for(dates, draft.anchor)
    if when:
        rec.date, rec.date_end = when.date, when.date_end
    return rec


def _earlier_stage(sentences, body: list[bool], index: int) -> str | None:
    """The stage of the event a sentence refers to (…8个项目进行现场签约。项目分别是：A、B、C): the
    last stage cue of the nearest earlier body sentence of this or the previous paragraph."""
    para = sentences[index].paragraph
    for j in range(index - 1, -1, -1):
        if sentences[j].paragraph < para - 1:
            break
        if body[j]:
            text = sentences[j].text
            stage = find_stage(text, len(text))
            if stage:
                return stage
        if _BULLET.match(sentences[j].text) or NUMBERING.match(sentences[j].text):
            para = sentences[j].paragraph  # an item of a list: its header may lie further up
    return None


def _is_shanxi_firm(company) -> bool:
    return company.text.startswith(("山西", "晋")) or (company.known is not None and company.known.region == "shanxi")


def _lead_event_date(records: list[Record], dates: list[DateSpan]) -> None:
    """Projects and batches with no date in an article that states one event date of a day or a month
    and no other (5月29日上午，…24个项目集中签约 … a list of the projects further down) share it: the
    article reports that one event. Not in a round-up of several cities, nor for a record at another
    stage than the event's records (a project still being negotiated, one being built)."""
    events = {(d.date, d.date_end) for d in dates if d.days <= _EVENT_DAYS}
    if len(events) != 1 or len({r.city_adcode for r in records if r.city_adcode}) > 1:
        return  # several events, or a round-up of several cities' news
    date, end = events.pop()
    stages = {r.stage for r in records if r.date == date}  # what the event was (签约, 开工 …)
    for rec in records:
        if (rec.date is None and rec.kind in ("project", "batch") and (rec.stage is None or rec.stage in stages)
                and rec.amount_kind in (None, "investment", "contract", "orders")):  # not a yield once built
            rec.date, rec.date_end = date, end


def _events(dates: list[DateSpan]) -> list[DateSpan]:
    """The dates of events; planned dates (计划今年9月开工) belong to their own sentence only."""
    return [d for d in dates if not d.planned]


def _days(d: DateSpan) -> int:
    """Sort key: length of a date span in days (0 for a single day); the most specific date wins."""
    return d.days


def _date_for(dates: list[DateSpan], anchor: int) -> DateSpan | None:
    """The most specific date of the sentence (a day beats a month, a quarter, a year);
    among equals the nearest one before the anchor. A cumulative period (2022年以来) beats
    them all: the sentence's figures cover it."""
    if not dates:
        return None
    for d in dates:
        if d.text.endswith("以来"):
            return d  # 截至…，2022年以来…: the figures cover the period since that year
    best = min(d.days for d in dates)
    candidates = [d for d in dates if d.days == best]
    before = [d for d in candidates if d.start <= anchor]
    return before[-1] if before else candidates[0]
