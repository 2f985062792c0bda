//! What an external quality assurer reads (issue 15): the same honest
//! headline, declaration, witness list and labels in the PDF (read back by
//! text extraction) and in the HTML.

use lopdf::{Document as Pdf, Object, ObjectId};
use portfolio::coverage::Status;
use portfolio::date::Date;
use portfolio::document::Document;
use portfolio::report::Checked;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn document(dir: &Path, require: Status) -> Document {
    let criteria = portfolio::pipeline::criteria(None).unwrap();
    let (p, cov) = portfolio::pipeline::check(
        dir,
        &criteria,
        portfolio::pipeline::CheckOptions {
            require,
            today: Date {
                year: 2026,
                month: 11,
                day: 23,
            },
            redact: false,
        },
    )
    .unwrap();
    Document::build(
        Checked {
            criteria: &criteria,
            portfolio: &p,
            coverage: &cov,
        },
        Date {
            year: 2026,
            month: 6,
            day: 1,
        },
    )
}

/// A copy of the sample portfolio.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("sample-portfolio");
    for sub in ["", "evidence", "attachments"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for e in std::fs::read_dir(src.join(sub)).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                std::fs::copy(e.path(), dir.path().join(sub).join(e.file_name())).unwrap();
            }
        }
    }
    dir
}

/// The sample with every item accepted by the assessor: every criterion met.
fn fully_met() -> tempfile::TempDir {
    let dir = sample_copy();
    let accepted = "decision = \"accepted\"\nby = \"J. Patel\"\ndate = 2026-05-30\n";
    for e in std::fs::read_dir(dir.path().join("evidence")).unwrap() {
        let path = e.unwrap().path();
        let mut s = std::fs::read_to_string(&path).unwrap();
        s = s
            .replace("decision = \"pending\"\nby = \"J. Patel\"\n", accepted)
            .replace("decision = \"pending\"\n", accepted);
        if !s.contains("[assessment]") {
            let end = s[3..].find("+++").unwrap() + 3;
            s.insert_str(end, &format!("\n[assessment]\n{accepted}"));
        }
        std::fs::write(&path, s).unwrap();
    }
    dir
}

fn pdf_pages(doc: &Document) -> Vec<String> {
    let bytes = portfolio::render::pdf::render(doc).unwrap();
    let pdf = Pdf::load_mem(&bytes).unwrap();
    page_texts(&pdf).iter().map(|t| normalised(t)).collect()
}

fn html(doc: &Document) -> String {
    portfolio::render::html::HtmlRenderer::new(None)
        .unwrap()
        .render(doc)
        .unwrap()
}

/// The visible text of an HTML page, text nodes joined by spaces, whitespace
/// normalised.
fn html_text(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    normalised(&doc.root_element().text().collect::<Vec<_>>().join(" "))
}

/// Whitespace collapsed, and none after a `/` or `-`: a line may break
/// after either (a path, a label), and the text extracted from the PDF
/// then has a space there.
fn normalised(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("/ ", "/")
        .replace("- ", "-")
}

/// Text of each page, decoded through the fonts' ToUnicode maps: a space
/// between text runs on one line, a newline between lines.
fn page_texts(pdf: &Pdf) -> Vec<String> {
    pdf.get_pages().into_values().map(|p| page_text(pdf, p)).collect()
}

fn to_unicode(pdf: &Pdf, font: &lopdf::Dictionary) -> BTreeMap<u16, String> {
    let mut map = BTreeMap::new();
    let Ok(r) = font.get(b"ToUnicode").and_then(Object::as_reference) else {
        return map;
    };
    let Ok(stream) = pdf.get_object(r).and_then(Object::as_stream) else {
        return map;
    };
    let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8_lossy(&data);
    let hex = |s: &str| u32::from_str_radix(s.trim_matches(|c| c == '<' || c == '>'), 16).ok();
    let mut in_char = false;
    for line in text.lines() {
        if line.ends_with("beginbfchar") {
            in_char = true;
        } else if line.starts_with("endbfchar") {
            in_char = false;
        } else if in_char {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if let [code, uni] = parts[..] {
                let uni = uni.trim_matches(|c| c == '<' || c == '>');
                let units: Vec<u16> = (0..uni.len() / 4)
                    .filter_map(|i| u16::from_str_radix(&uni[i * 4..i * 4 + 4], 16).ok())
                    .collect();
                if let Some(code) = hex(code) {
                    map.insert(code as u16, String::from_utf16_lossy(&units));
                }
            }
        }
    }
    map
}

fn page_text(pdf: &Pdf, page: ObjectId) -> String {
    let fonts: BTreeMap<Vec<u8>, BTreeMap<u16, String>> = pdf
        .get_page_fonts(page)
        .unwrap()
        .into_iter()
        .map(|(name, font)| (name, to_unicode(pdf, font)))
        .collect();
    let content = lopdf::content::Content::decode(&pdf.get_page_content(page)).unwrap();
    let mut out = String::new();
    let mut font: Option<&BTreeMap<u16, String>> = None;
    let mut last_y = f32::NAN;
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => font = op.operands[0].as_name().ok().and_then(|n| fonts.get(n)),
            "Tm" => {
                let y = op.operands[5].as_float().unwrap();
                out.push(if (y - last_y).abs() < 0.5 { ' ' } else { '\n' });
                last_y = y;
            }
            // A run of glyphs: one string (Tj), or strings between
            // position adjustments (TJ).
            "Tj" | "TJ" => {
                let strings: Vec<&[u8]> = match op.operands[0].as_array() {
                    Ok(items) => items.iter().filter_map(|o| o.as_str().ok()).collect(),
                    Err(_) => op.operands[0].as_str().into_iter().collect(),
                };
                for bytes in strings {
                    let Some(map) = font else { continue };
                    for pair in bytes.chunks(2) {
                        let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                        out.push_str(map.get(&code).map_or("\u{FFFD}", String::as_str));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn the_headline_says_criteria_await_assessment_on_page_one_and_in_the_html() {
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    let phrase = "Evidence complete — 5 criteria awaiting assessment";
    assert_eq!(doc.headline.text, phrase);
    let pages = pdf_pages(&doc);
    assert!(pages[0].contains(phrase), "{}", pages[0]);
    assert!(!pages[0].contains("every criterion met"));
    let text = html_text(&html(&doc));
    assert!(text.contains(phrase), "not in the HTML");
    assert!(!text.contains("No gaps"));
    // The gaps page lists the items awaiting a decision and what for.
    assert!(
        doc.awaiting.iter().any(
            |a| a.id == "14-discussion-improving-handovers" && a.text == "Awaiting an assessor's decision for 3.5."
        )
    );
    let gaps_page = pages.iter().find(|p| p.starts_with("Gaps and next steps")).unwrap();
    assert!(
        gaps_page.contains("Awaiting an assessor's decision for 3.5."),
        "{gaps_page}"
    );
    assert!(text.contains("Awaiting an assessor's decision for 3.5."));
}

#[test]
fn the_headline_says_every_criterion_met_only_when_it_holds() {
    let dir = fully_met();
    let doc = document(dir.path(), Status::Claimed);
    assert_eq!(doc.headline.text, "Complete: every criterion met");
    assert!(doc.awaiting.is_empty());
    let pages = pdf_pages(&doc);
    assert!(pages[0].contains("Complete: every criterion met"), "{}", pages[0]);
    assert!(html_text(&html(&doc)).contains("Complete: every criterion met"));
}

#[test]
fn require_met_turns_awaiting_criteria_into_what_keeps_it_from_complete() {
    let doc = document(&root().join("sample-portfolio"), Status::Met);
    assert_eq!(doc.headline.text, "Not complete: 5 criteria awaiting assessment");
    assert!(pdf_pages(&doc)[0].contains("Not complete: 5 criteria awaiting assessment"));
}

/// The text of the PDF pages from the one that starts with `heading` to the end.
fn pdf_from(pages: &[String], heading: &str) -> String {
    let at = pages
        .iter()
        .position(|p| p.starts_with(heading))
        .unwrap_or_else(|| panic!("no page starts with {heading}"));
    pages[at..].join(" ")
}

/// The text of the HTML element with `id`.
fn html_section(html: &str, id: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(&format!("#{id}")).unwrap();
    let el = doc.select(&sel).next().unwrap_or_else(|| panic!("no #{id}"));
    normalised(&el.text().collect::<Vec<_>>().join(" "))
}

#[test]
fn html_and_pdf_print_the_same_declaration_with_an_iqa_block() {
    let met = fully_met();
    for (dir, ready) in [
        (root().join("sample-portfolio"), false),
        (met.path().to_path_buf(), true),
    ] {
        let doc = document(&dir, Status::Claimed);
        let d = &doc.declaration;
        assert_eq!(d.ready, ready);
        let pdf = pdf_from(&pdf_pages(&doc), "Declaration and sign-off");
        let html = html_section(&html(&doc), "declaration");
        let mut expected = vec![];
        if !ready {
            expected.push("Not ready for sign-off.".to_string());
            expected.extend(d.reasons.iter().cloned());
        }
        for b in &d.blocks {
            expected.push(b.heading.clone());
            expected.push(b.statement.clone());
            expected.extend(b.fields.iter().map(|f| f.label.clone()));
            expected.extend(b.fields.iter().filter_map(|f| f.value.clone()));
            expected.extend(b.recorded.iter().cloned());
        }
        for want in &expected {
            let want = normalised(want);
            assert!(pdf.contains(&want), "PDF lacks {want:?}");
            assert!(html.contains(&want), "HTML lacks {want:?}");
        }
        for want in [
            "Internal quality assurance",
            "IQA name",
            "Sampled (yes / no)",
            "Comments",
            "EQA sampled (yes / no)",
            "my own work",
        ] {
            let want = normalised(want);
            assert!(pdf.contains(&want) && html.contains(&want), "{want}");
        }
        assert!(!pdf.contains("saw what") && !html.contains("saw what"));
        assert_eq!(pdf.contains("Not ready for sign-off"), !ready);
        assert_eq!(html.contains("Not ready for sign-off"), !ready);
        if !ready {
            assert!(pdf.contains("5 criteria awaiting assessment"));
        }
    }
}

#[test]
fn html_and_pdf_list_every_witness_with_the_same_rows_and_a_line_to_sign() {
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    let names: Vec<&str> = doc.witnesses.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["Dana Reid", "Tom Okafor"]);
    let dana = &doc.witnesses[0];
    assert_eq!(dana.relationship.as_deref(), Some("line manager"));
    assert_eq!(dana.contact.as_deref(), Some("dana.reid@example.org"));
    assert_eq!(dana.items.iter().map(|i| i.number).collect::<Vec<_>>(), [10]);
    let tom = &doc.witnesses[1];
    assert!(
        tom.rows
            .iter()
            .any(|r| r.label == "Contact" && r.value == "not recorded")
    );
    // RF03: occupational competence or expertise, and whether the assessor
    // has confirmed the witness's status, when an item says so.
    let row = |w: &portfolio::document::WitnessDoc, label: &str| {
        w.rows
            .iter()
            .find(|r| r.label == label)
            .map(|r| r.value.clone())
            .unwrap()
    };
    assert_eq!(
        row(tom, "Occupational competence or expertise"),
        "Smart meter installer and metering specialist for 6 years"
    );
    assert_eq!(
        row(tom, "Status confirmed by the assessor"),
        "yes (typed in the evidence file)"
    );
    assert_eq!(row(dana, "Occupational competence or expertise"), "not recorded");
    assert_eq!(row(dana, "Status confirmed by the assessor"), "not recorded");
    let pages = pdf_pages(&doc);
    let at = pages.iter().position(|p| p.starts_with("Witness status list")).unwrap();
    let pdf = pages[at..].join(" ");
    let pdf = &pdf[..pdf.find("Declaration and sign-off").unwrap()];
    let html = html_section(&html(&doc), "witnesses");
    for w in &doc.witnesses {
        for text in
            std::iter::once(w.name.clone()).chain(w.rows.iter().flat_map(|r| [r.label.clone(), r.value.clone()]))
        {
            let text = normalised(&text);
            assert!(pdf.contains(&text), "PDF lacks {text:?}");
            assert!(html.contains(&text), "HTML lacks {text:?}");
        }
    }
    assert_eq!(pdf.matches("Signature").count(), doc.witnesses.len());
    assert_eq!(html.matches("Signature").count(), doc.witnesses.len());
}

#[test]
fn grid_marks_say_what_the_evidence_is_worth_in_both_formats() {
    use portfolio::document::worth::Worth;
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    let cell = |code: &str, item: usize| {
        let row = doc.grid.rows.iter().find(|r| r.display_code == code).unwrap();
        row.cells[item - 1].as_ref().map(|m| (m.worth, m.mark))
    };
    assert_eq!(cell("1.1", 1), Some((Worth::Accepted, "●")));
    assert_eq!(cell("1.1", 3), Some((Worth::SupportingOnly, "◇")));
    assert_eq!(cell("3.1", 11), Some((Worth::Awaiting, "○")));
    let pages = pdf_pages(&doc);
    let grid_pdf = pdf_from(&pages, "Mapping grid");
    let grid_html = html_section(&html(&doc), "grid");
    for l in &doc.grid.legend {
        let line = format!("{} {}", l.mark, l.meaning);
        assert!(grid_pdf.contains(&line), "PDF legend lacks {line:?}");
        assert!(grid_html.contains(&line), "HTML legend lacks {line:?}");
    }
    // The marks in the cells, counted alike in both formats.
    for mark in ["●", "○", "◇"] {
        let in_doc = doc
            .grid
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .flatten()
            .filter(|m| m.mark == mark)
            .count();
        let pdf_grid = &grid_pdf[..grid_pdf.find("Evidence location table").unwrap()];
        // One more for the legend.
        assert_eq!(pdf_grid.matches(mark).count(), in_doc + 1, "{mark} in the PDF grid");
        assert_eq!(grid_html.matches(mark).count(), in_doc + 1, "{mark} in the HTML grid");
    }
}

#[test]
fn the_location_sheet_is_one_row_per_assessed_criterion_with_decision_occasion_and_page() {
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    let row = doc.locations.iter().find(|r| r.display_code == "3.1").unwrap();
    let e = row
        .entries
        .iter()
        .find(|e| e.id == "08-observation-late-shift-refund")
        .unwrap();
    assert_eq!(e.decision, "accepted, 14 March 2026");
    assert_eq!(e.occasion.as_deref(), Some("late-shift-14-march, counted"));
    let one = doc.locations.iter().find(|r| r.display_code == "1.1").unwrap();
    assert!(
        one.entries.iter().all(|e| e.occasion.is_none()),
        "1.1 needs one occasion"
    );
    let pages = pdf_pages(&doc);
    let start = pages
        .iter()
        .position(|p| p.starts_with("Evidence location table"))
        .unwrap();
    let end = pages.iter().position(|p| p.starts_with("Gaps and next steps")).unwrap();
    assert!(end <= start + 2, "the sample's sheet takes at most two pages");
    let sheet = pages[start..end].join(" ");
    assert!(
        sheet.contains("● accepted, 14 March 2026")
            && sheet.contains("occasion late-shift-14-march, counted — Item 8, page"),
        "{sheet}"
    );
    // Only the assessed unit's criteria: the standard is mapped for
    // information, in the grid only.
    assert!(
        doc.locations.iter().all(|r| r.framework == "unit-214"),
        "{:?}",
        doc.locations.len()
    );
    assert!(!sheet.contains("P1 Identify"), "{sheet}");
    let header = "Criterion Status Evidence: item, page and decision ";
    let codes: Vec<&str> = doc.locations.iter().map(|r| r.display_code.as_str()).collect();
    for p in &pages[start + 1..end] {
        let Some(at) = p.find(header) else {
            continue; // the table ended on the page before
        };
        let body = &p[at + header.len()..];
        let first = body.split_whitespace().next().unwrap();
        assert!(
            codes.contains(&first),
            "a continued page starts without a criterion: {first:?}"
        );
    }
    let html = html_section(&html(&doc), "locations");
    assert!(html.contains("accepted, 14 March 2026"));
    assert!(html.contains("occasion late-shift-14-march, counted"));
}

/// On a phone the page fits the screen: every wide table scrolls inside a
/// wrapper (the browser check in `.ci/browser-check` measures it at 390 px).
#[test]
fn wide_tables_scroll_inside_wrappers() {
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    let page = scraper::Html::parse_document(&html(&doc));
    let tables = scraper::Selector::parse("table").unwrap();
    let mut seen = 0;
    for t in page.select(&tables) {
        let class = t.value().attr("class").unwrap_or("");
        if class == "handover" {
            continue; // two columns whose cells wrap
        }
        seen += 1;
        let wrapped = t.ancestors().filter_map(scraper::ElementRef::wrap).any(|a| {
            a.value().name() == "div"
                && a.value()
                    .attr("class")
                    .is_some_and(|c| c.split(' ').any(|c| c == "scroll"))
        });
        assert!(wrapped, "table.{class} is not in a scroll wrapper");
    }
    assert!(seen >= 3);
}

#[test]
fn html_and_pdf_print_the_same_handover_labels_and_values() {
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    let item = doc.items.iter().find(|i| i.id == "12-witness-meter-follow-up").unwrap();
    assert!(
        item.handover_rows
            .iter()
            .any(|r| r.label == "Completion check" && r.value.starts_with("Not done on 9 April 2026")),
        "{:?}",
        item.handover_rows
    );
    let pages = pdf_pages(&doc);
    let pdf = pages.join(" ");
    let page = html(&doc);
    let html = html_section(&page, &item.anchor);
    for it in doc.items.iter().filter(|i| !i.handover_rows.is_empty()) {
        let html_item = html_section(&page, &it.anchor);
        for r in &it.handover_rows {
            let line = normalised(&format!("{} {}", r.label, r.value));
            assert!(html_item.contains(&line), "HTML lacks {line:?}");
            assert!(pdf.contains(&line), "PDF lacks {line:?}");
        }
    }
    // No ISO dates or raw outcome words in the record.
    assert!(!html.contains("not-done") && !html.contains("2026-04-09"), "{html}");
}

#[test]
fn the_pdf_has_the_units_glossary_and_notes_and_the_cover_says_what_its_date_is() {
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    let unit = &doc.frameworks[0];
    assert!(!unit.glossary.is_empty() && !unit.notes.is_empty());
    let pages = pdf_pages(&doc);
    let criteria = pdf_from(&pages, "Criteria");
    for g in &unit.glossary {
        assert!(criteria.contains(&normalised(&g.definition)), "PDF lacks {:?}", g.term);
    }
    for n in &unit.notes {
        assert!(criteria.contains(&normalised(n)), "PDF lacks the note {n:?}");
    }
    // The document's date here is not an evidence date: it says "Compiled".
    assert_eq!(doc.date_row.label, "Compiled");
    assert!(pages[0].contains("Compiled 1 June 2026"), "{}", pages[0]);
    // Built with the latest evidence date, the cover says so.
    let criteria_set = portfolio::pipeline::criteria(None).unwrap();
    let (p, cov) = portfolio::pipeline::check(
        &root().join("sample-portfolio"),
        &criteria_set,
        portfolio::pipeline::CheckOptions {
            require: Status::Claimed,
            today: Date::new(2026, 11, 23).unwrap(),
            redact: false,
        },
    )
    .unwrap();
    let checked = Checked {
        criteria: &criteria_set,
        portfolio: &p,
        coverage: &cov,
    };
    let date = portfolio::document::build_date(checked, None);
    let doc = Document::build(checked, date);
    assert_eq!(doc.date_row.label, "Evidence up to");
    let pages = pdf_pages(&doc);
    assert!(pages[0].contains("Evidence up to 26 May 2026"), "{}", pages[0]);
    assert!(html_text(&html(&doc)).contains("Evidence up to 26 May 2026"));
}

/// Emoji and symbols DejaVu lacks are drawn from the embedded fallback and
/// extract as written; what no embedded font can draw prints as a visible
/// white square, never a "?" that reads as the learner's own, and `check`
/// warns `glyph-missing`.
#[test]
fn emoji_and_symbols_extract_as_written_and_the_rest_is_a_visible_placeholder() {
    let doc = document(&root().join("tests/fixtures/glyph-missing"), Status::Claimed);
    let pdf = pdf_pages(&doc).join(" ");
    assert!(
        pdf.contains("✅ Wedi'i wneud → arrows, ★ ☎ 👍 and Welsh ŵ draw; the kana \u{25A1} does not."),
        "{pdf}"
    );
    assert!(pdf.contains("Professional discussion ✅"), "{pdf}");
    assert!(!pdf.contains('?'), "{pdf}");
    assert!(html_text(&html(&doc)).contains("✅ Wedi'i wneud"));
}

/// A non-image attachment is embedded in the PDF as a file attachment and
/// offered as a download in the HTML.
#[test]
fn a_non_image_attachment_is_embedded_in_the_pdf_and_downloadable_in_the_html() {
    let dir = sample_copy();
    let thread = "From: Sam Jones\nSubject: Refund confirmed\n\nThe refund went through today.\n";
    std::fs::write(dir.path().join("attachments/refund-thread.eml"), thread).unwrap();
    let item = dir.path().join("evidence/09-crm-case-history.md");
    let text = std::fs::read_to_string(&item).unwrap();
    let text = text.replacen(
        "\nmethod = ",
        "\nattachments = [\"attachments/refund-thread.eml\"]\nmethod = ",
        1,
    );
    std::fs::write(&item, text).unwrap();
    let doc = document(dir.path(), Status::Claimed);
    let bytes = portfolio::render::pdf::render(&doc).unwrap();
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let catalog = pdf.catalog().unwrap();
    let deref = |o: &'_ Object| -> lopdf::Dictionary {
        match o {
            Object::Reference(r) => pdf.get_dictionary(*r).unwrap().clone(),
            o => o.as_dict().unwrap().clone(),
        }
    };
    let names = deref(catalog.get(b"Names").unwrap());
    let tree = deref(names.get(b"EmbeddedFiles").unwrap());
    let list = tree.get(b"Names").unwrap().as_array().unwrap();
    assert_eq!(list.len(), 2, "one file: key and specification");
    let spec = deref(&list[1]);
    let ef = spec.get(b"EF").unwrap().as_dict().unwrap();
    let stream = pdf
        .get_object(ef.get(b"F").unwrap().as_reference().unwrap())
        .unwrap()
        .as_stream()
        .unwrap();
    let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    assert_eq!(content, thread.as_bytes());
    // A PDF/A-3 associated file of the document, and the item says under
    // which name the viewer's attachments panel lists it.
    let af = catalog.get(b"AF").unwrap();
    let af = match af {
        Object::Reference(r) => pdf.get_object(*r).unwrap().as_array().unwrap().clone(),
        o => o.as_array().unwrap().clone(),
    };
    assert_eq!(af.len(), 1, "{af:?}");
    assert_eq!(af[0], list[1], "the associated file is the embedded one");
    let texts: Vec<String> = pdf_pages(&doc);
    let listed: Vec<&String> = texts.iter().filter(|t| t.contains("refund-thread.eml")).collect();
    assert!(
        listed.iter().any(|t| normalised(t).contains(
            "Embedded in this PDF as “item 09.01 refund-thread.eml”: click the name, or open the viewer's attachments panel"
        )),
        "{listed:?}"
    );
    // The name is clickable: a file-attachment annotation on its page that
    // opens the embedded file, described, printable, in the structure tree
    // (it has a structure parent); and the attachments panel opens first.
    assert_eq!(catalog.get(b"PageMode").unwrap().as_name().unwrap(), b"UseAttachments");
    let mut clips = Vec::new();
    for (_, page) in pdf.get_pages() {
        let page = pdf.get_dictionary(page).unwrap();
        let Ok(annots) = page.get(b"Annots") else { continue };
        let annots = match annots {
            Object::Reference(r) => pdf.get_object(*r).unwrap().as_array().unwrap().clone(),
            o => o.as_array().unwrap().clone(),
        };
        for a in &annots {
            let a = deref(a);
            if a.get(b"Subtype").unwrap().as_name().unwrap() == b"FileAttachment" {
                clips.push(a);
            }
        }
    }
    assert_eq!(clips.len(), 1, "one paperclip for one embedded file");
    let clip = &clips[0];
    assert_eq!(clip.get(b"FS").unwrap(), &list[1], "it opens the embedded file");
    assert_eq!(
        clip.get(b"Contents").unwrap().as_str().unwrap(),
        b"Open the embedded file item 09.01 refund-thread.eml"
    );
    assert!(clip.get(b"F").unwrap().as_i64().unwrap() & 4 == 4, "printable");
    assert!(clip.get(b"StructParent").is_ok());
    let ap = clip.get(b"AP").unwrap().as_dict().unwrap();
    assert!(
        pdf.get_object(ap.get(b"N").unwrap().as_reference().unwrap())
            .unwrap()
            .as_stream()
            .is_ok()
    );
    if std::process::Command::new("qpdf").arg("--version").output().is_ok() {
        let path = dir.path().join("out.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let out = std::process::Command::new("qpdf")
            .arg("--list-attachments")
            .arg(&path)
            .output()
            .unwrap();
        let listed = String::from_utf8_lossy(&out.stdout);
        assert!(listed.contains("refund-thread.eml"), "{listed}");
    }
    let page = html(&doc);
    assert!(page.contains("download=\"refund-thread.eml\" href=\"data:application/octet-stream;base64,"));
}

/// A framework the portfolio does not assess (the sample's CFACSB16) is
/// marked "for information" on each of its grid rows, in both formats, and
/// its statuses are not coloured as if they counted (issue 29, item 3).
#[test]
fn the_grid_marks_every_row_of_a_framework_not_assessed_for_information() {
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    let info: Vec<&str> = doc
        .grid
        .rows
        .iter()
        .filter(|r| !r.assessed)
        .map(|r| r.display_code.as_str())
        .collect();
    assert!(info.len() >= 9, "{info:?}");
    let grid_pdf = normalised(&pdf_from(&pdf_pages(&doc), "Mapping grid"));
    let grid_html = html_section(&html(&doc), "grid");
    for (format, text) in [("PDF", &grid_pdf), ("HTML", &grid_html)] {
        for code in &info {
            assert!(
                text.contains(&format!("{code} met for information"))
                    || text.contains(&format!("{code} claimed for information")),
                "{format}, {code}: {text}"
            );
        }
        assert!(
            !text.contains("1.1 met for information"),
            "{format}: an assessed row is marked"
        );
    }
}

/// The gaps page suggests a decision only where accepting the item would
/// count for the criterion: never on an item that only supports it (a
/// workplace document for 3.2, issue 29 item 3), and the declaration's
/// count of items awaiting a decision is that same list's length.
#[test]
fn only_decisions_that_could_settle_a_criterion_are_suggested() {
    use portfolio::document::worth::Worth;
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    assert!(!doc.awaiting.is_empty());
    for a in &doc.awaiting {
        for code in &a.criteria {
            let row = doc.grid.rows.iter().find(|r| &r.display_code == code).unwrap();
            let mark = row.cells[a.number - 1].as_ref().map(|m| m.worth);
            assert_eq!(mark, Some(Worth::Awaiting), "item {} suggested for {code}", a.number);
        }
    }
    // Some claimed criterion has a supporting-only item that is not suggested.
    let supporting = doc
        .grid
        .rows
        .iter()
        .any(|r| r.status == Status::Claimed && r.cells.iter().flatten().any(|m| m.worth == Worth::SupportingOnly));
    assert!(supporting, "the sample no longer has the case this test is about");
    let n = doc.awaiting.len();
    let line = format!(
        "{n} {} an assessor's decision.",
        if n == 1 { "item awaits" } else { "items await" }
    );
    assert!(doc.declaration.reasons.contains(&line), "{:?}", doc.declaration.reasons);
}

/// Issue 29: the achievement summary, as the awarding bodies' RF10 gives
/// it: per unit, achieved or not, the date of the last decision that
/// completed it, and the assessor's and IQA's latest decisions; the same
/// words in the PDF and the HTML.
#[test]
fn the_achievement_summary_gives_each_unit_its_completion_and_sign_off_dates() {
    // The sample: not achieved yet, decided and sampled.
    let doc = document(&root().join("sample-portfolio"), Status::Claimed);
    assert_eq!(
        doc.achievement.len(),
        1,
        "one assessed unit: the standard is for information"
    );
    let u = &doc.achievement[0];
    assert_eq!((u.short_title.as_str(), u.achieved), ("Unit 214", false));
    assert_eq!(u.criteria_met, format!("{} of 12 criteria met", doc.summary.met));
    assert_eq!((u.completed, u.completed_text.as_str()), (None, "—"));
    assert_eq!(u.assessor, "j.patel@northgate.example, 21 April 2026");
    assert_eq!(u.iqa, "r.obi@northgate.example, 28 April 2026");
    let pages = pdf_pages(&doc);
    let pdf = &pages[pages
        .iter()
        .position(|p| p.contains("Achievement summary Each unit assessed"))
        .expect("the PDF's achievement summary")];
    let section = html_section(&html(&doc), "achievement");
    for want in [
        "Not yet achieved",
        u.criteria_met.as_str(),
        "21 April 2026",
        "28 April 2026",
    ] {
        assert!(pdf.contains(want), "PDF lacks {want:?}: {pdf}");
        assert!(section.contains(want), "HTML lacks {want:?}: {section}");
    }
    // Every criterion met: achieved on the day of the last acceptance
    // (three typed on 10 April 2026, after the signed one of 5 March).
    let doc = document(&root().join("tests/fixtures/trust-signed-verified"), Status::Claimed);
    let u = &doc.achievement[0];
    assert!(u.achieved, "{u:?}");
    assert_eq!(u.completed, Some(Date::new(2026, 4, 10).unwrap()));
    assert_eq!(u.assessor, "J. Patel, 10 April 2026");
    assert_eq!(u.iqa, "Not sampled");
    let pdf = pdf_pages(&doc).join(" ");
    let text = html_text(&html(&doc));
    let want = "Achieved 12 of 12 criteria met 10 April 2026 J. Patel, 10 April 2026 Not sampled";
    assert!(pdf.contains(want), "PDF lacks {want:?}: {pdf}");
    assert!(text.contains(want), "HTML lacks {want:?}");
}
