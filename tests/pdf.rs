//! The PDF renderer on the sample portfolio and on generated stress cases:
//! what the file contains (text, outline, links, page numbers, fonts),
//! that it stays inside its margins, and that it is reproducible.

mod support;

use lopdf::{Document as Pdf, Object, ObjectId};

use portfolio::coverage::Status;
use portfolio::date::Date;
use portfolio::document::Document;
use portfolio::report::Checked;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const BUILD: Date = Date {
    year: 2026,
    month: 4,
    day: 30,
};

fn document(dir: &Path) -> Document {
    let criteria = portfolio::pipeline::criteria(None).unwrap();
    let (p, cov) = portfolio::pipeline::check(
        dir,
        &criteria,
        portfolio::pipeline::CheckOptions {
            require: Status::Claimed,
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
        BUILD,
    )
}

fn sample() -> Document {
    document(&root().join("sample-portfolio"))
}

fn render(doc: &Document) -> Vec<u8> {
    portfolio::render::pdf::render(doc).unwrap()
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

/// A portfolio folder with `items` generated items, one of them long.
fn generated(items: usize, long: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("evidence")).unwrap();
    std::fs::write(
        p.join("portfolio.toml"),
        "[learner]\nname = \"Gwenllian Łukasz-Παπαδόπουλος\"\nid = \"L-9\"\n[centre]\nname = \"Test Centre\"\n[assessor]\nname = \"A. Assessor\"\n",
    )
    .unwrap();
    let codes = [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "3.5",
    ];
    for i in 0..items {
        let c1 = codes[i % codes.len()];
        let c2 = codes[(i + 5) % codes.len()];
        let mut body = format!(
            "I handed over case {i} to a colleague [[{c1}]] and told the customer who would call back.\n\n## What happened\n\nThe colleague *confirmed* the **deadline** and I set a reminder [[{c2}]].\n\n- first point\n- second point\n  - nested point\n\n> A quote from the customer.\n"
        );
        if long && i == 0 {
            for n in 0..30 {
                body.push_str(&format!("\nParagraph {n}: Bore da, ŵyr a ŷd; zażółć gęślą jaźń, łódź, śnieg; Καλημέρα κόσμε, ελληνικά γράμματα. The handover was checked again and again to see that nothing was lost on the way.\n"));
            }
            body.push_str("\n| Column A | Column B | Column C |\n|---|---|---:|\n");
            for r in 0..60 {
                body.push_str(&format!("| row {r} | Welsh ŵ ŷ, Polish ł ż ś, Greek αβγ | {r} |\n"));
            }
            body.push('\n');
            body.push_str(&"x".repeat(5000));
            body.push_str("\n\n```\nfn main() { println!(\"code block\"); }\n```\n\nA footnote reference[^1] and a [link](https://example.org/handover).\n\n[^1]: The footnote text.\n");
        }
        std::fs::write(
            p.join(format!("evidence/item-{i:02}.md")),
            format!(
                "+++\ntitle = \"Generated item {i}: handover number {i}\"\ndate = 2026-03-{:02}\nmethod = \"observation\"\ncriteria = [\"{c1}\", \"{c2}\"]\noccasion = \"occasion-{i}\"\n+++\n{body}",
                1 + i % 28
            ),
        )
        .unwrap();
    }
    dir
}

fn normalised(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every criterion code and item title is in the extracted text.
#[test]
fn text_extracts_with_every_code_and_title() {
    let doc = sample();
    let bytes = render(&doc);
    // Left for a look: pdftoppm -r 60 -f 1 -l 4 -png $TMPDIR/portfolio-sample.pdf page
    let _ = std::fs::write(std::env::temp_dir().join("portfolio-sample.pdf"), &bytes);
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let all = normalised(&page_texts(&pdf).join(" "));
    for row in &doc.grid.rows {
        assert!(all.contains(&row.display_code), "{} missing", row.display_code);
    }
    for item in &doc.items {
        assert!(all.contains(&normalised(&item.title)), "{} missing", item.title);
    }
    assert!(all.contains("Page 2 of"));
    // Item 08's handover record, as a table on the item's pages.
    let texts = page_texts(&pdf);
    let pages = item_pages(&texts, &doc);
    let item = doc
        .items
        .iter()
        .find(|i| i.handover.is_some())
        .expect("an item with a handover record");
    assert!(item.file.contains("08"), "{}", item.file);
    let from = pages[&item.number] - 1;
    let to = pages.get(&(item.number + 1)).map_or(texts.len(), |p| *p - 1);
    let record = normalised(&texts[from..to].join(" "));
    for needle in [
        "Handover record",
        "The handover as recorded: shift change",
        "Handed to Sam Jones, Billing adviser, late shift",
        "Exchanged by CRM note, face to face",
        "Receiver confirmed Yes",
        "Action 2 Call the customer",
        "Reminder 16 March 2026 (CRM follow-up task assigned to me)",
    ] {
        assert!(record.contains(needle), "{needle:?} missing from item {}", item.number);
    }
    let other = normalised(&texts[..from].join(" "));
    assert!(!other.contains("Handover record"), "the record belongs to its item");
    if support::tool("pdftotext", "the PDF's reading order") {
        use std::io::Write;
        let mut child = Command::new("pdftotext")
            .args(["-", "-"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&render(&doc)).unwrap();
        let text = normalised(&String::from_utf8_lossy(&child.wait_with_output().unwrap().stdout));
        assert!(
            text.contains("Our handover procedure has four parts"),
            "words in reading order with spaces"
        );
        assert!(text.contains("Evidence location table"));
    }
}

/// Page (from 1) on which each item's heading stands.
fn item_pages(texts: &[String], doc: &Document) -> BTreeMap<usize, usize> {
    doc.items
        .iter()
        .map(|i| {
            let needle = format!("Item {}:", i.number);
            let page = texts
                .iter()
                .position(|t| normalised(t).contains(&needle))
                .unwrap_or_else(|| panic!("{needle} not found"));
            (i.number, page + 1)
        })
        .collect()
}

fn section_pages(texts: &[String], from: &str, to: &str) -> std::ops::Range<usize> {
    let start = texts.iter().position(|t| t.contains(from)).unwrap();
    let end = texts.iter().position(|t| t.contains(to)).unwrap();
    start..end
}

/// The evidence location table prints the page each item starts on.
#[test]
fn location_table_page_numbers_are_right() {
    let doc = sample();
    let pdf = Pdf::load_mem(&render(&doc)).unwrap();
    let texts = page_texts(&pdf);
    let pages = item_pages(&texts, &doc);
    let mut seen = BTreeSet::new();
    for t in &texts[section_pages(&texts, "Evidence location table", "Gaps and next steps")] {
        let t = normalised(t);
        let mut rest = t.as_str();
        while let Some(at) = rest.find("Item ") {
            rest = &rest[at + 5..];
            let Some((n, after)) = rest.split_once(", page ") else {
                continue;
            };
            let Ok(n) = n.parse::<usize>() else { continue };
            let p: usize = after
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap();
            assert_eq!(pages[&n], p, "item {n}");
            seen.insert(n);
        }
    }
    // Every item that evidences an assessed criterion (the sheet lists
    // those criteria only: the sample's item 4 evidences only the standard
    // mapped for information).
    let listed: BTreeSet<usize> = doc
        .locations
        .iter()
        .flat_map(|r| r.entries.iter().map(|e| doc.items[e.item].number))
        .collect();
    assert!(listed.len() >= 10, "{listed:?}");
    assert_eq!(seen, listed);
}

fn dest_page(pdf: &Pdf, annot: &lopdf::Dictionary) -> Option<ObjectId> {
    let dest = match annot.get(b"Dest") {
        Ok(d) => d,
        Err(_) => annot.get(b"A").ok()?.as_dict().ok()?.get(b"D").ok()?,
    };
    // Written inline or as an object of its own.
    let dest = match dest {
        Object::Reference(r) => pdf.get_object(*r).ok()?.as_array().ok()?,
        d => d.as_array().ok()?,
    };
    dest.first()?.as_reference().ok().filter(|r| pdf.get_object(*r).is_ok())
}

/// Marks in the mapping grid link to the pages of their items.
#[test]
fn grid_links_point_at_their_items() {
    let doc = sample();
    let pdf = Pdf::load_mem(&render(&doc)).unwrap();
    let texts = page_texts(&pdf);
    let pages = item_pages(&texts, &doc);
    let page_ids: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    let mut starts: Vec<usize> = pages.values().copied().collect();
    starts.push(texts.iter().position(|t| t.contains("\nCriteria\n")).unwrap() + 1);
    let mut marks = 0;
    for p in section_pages(&texts, "Mapping grid", "Evidence location table") {
        let page = pdf.get_dictionary(page_ids[p]).unwrap();
        let Ok(annots) = page.get(b"Annots").and_then(Object::as_array) else {
            continue;
        };
        for a in annots {
            let a = match a {
                Object::Reference(r) => pdf.get_dictionary(*r).unwrap(),
                Object::Dictionary(d) => d,
                _ => continue,
            };
            let rect: Vec<f32> = a
                .get(b"Rect")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o.as_float().unwrap())
                .collect();
            if rect[2] - rect[0] > 15.0 || rect[0] < 170.0 {
                continue; // the key, the criterion codes
            }
            let target = dest_page(&pdf, a).expect("an internal link");
            let target = page_ids.iter().position(|id| *id == target).unwrap() + 1;
            assert!(
                starts.windows(2).any(|w| (w[0]..w[1]).contains(&target)),
                "a mark links to page {target}, which belongs to no item"
            );
            marks += 1;
        }
    }
    let expected = doc
        .grid
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| c.is_some())
        .count();
    assert!(marks >= expected, "{marks} mark links, {expected} marks");
}

fn outline_titles(pdf: &Pdf) -> Vec<String> {
    fn walk(pdf: &Pdf, first: Option<ObjectId>, out: &mut Vec<String>) {
        let mut next = first;
        while let Some(id) = next {
            let d = pdf.get_dictionary(id).unwrap();
            let title = d.get(b"Title").unwrap().as_str().unwrap();
            out.push(lopdf::decode_text_string(&Object::String(title.to_vec(), lopdf::StringFormat::Literal)).unwrap());
            walk(pdf, d.get(b"First").and_then(Object::as_reference).ok(), out);
            next = d.get(b"Next").and_then(Object::as_reference).ok();
        }
    }
    let root = pdf.catalog().unwrap().get(b"Outlines").unwrap().as_reference().unwrap();
    let mut out = Vec::new();
    walk(
        pdf,
        pdf.get_dictionary(root)
            .unwrap()
            .get(b"First")
            .and_then(Object::as_reference)
            .ok(),
        &mut out,
    );
    out
}

/// Bookmarks for every section and every item; fonts embedded; metadata.
#[test]
fn outline_fonts_and_metadata() {
    let doc = sample();
    let bytes = render(&doc);
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let titles = outline_titles(&pdf);
    for s in [
        "Cover",
        "Progress",
        "Mapping grid",
        "Evidence location table",
        "Gaps and next steps",
        "Reflective account",
        "Evidence items",
        "Criteria",
        "Declaration and sign-off",
    ] {
        assert!(titles.iter().any(|t| t == s), "no bookmark {s}: {titles:?}");
    }
    for item in &doc.items {
        assert!(
            titles.contains(&format!("{}. {}", item.number, item.title)),
            "no bookmark for {}",
            item.title
        );
    }
    let mut embedded = 0;
    for (_, obj) in pdf.objects.iter() {
        if let Ok(d) = obj.as_dict()
            && d.get(b"Type").and_then(Object::as_name).ok() == Some(&b"FontDescriptor"[..])
        {
            assert!(d.has(b"FontFile2"), "a font is not embedded");
            embedded += 1;
        }
    }
    assert!(embedded >= 3);
    if support::tool("pdffonts", "font embedding") {
        let path = std::env::temp_dir().join(format!("portfolio-fonts-{}.pdf", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        let out = String::from_utf8(Command::new("pdffonts").arg(&path).output().unwrap().stdout).unwrap();
        for line in out.lines().skip(2) {
            assert!(
                line.contains(" yes yes yes "),
                "not embedded, subset and mapped: {line}"
            );
        }
        if support::tool("qpdf", "the PDF's structure (qpdf --check)") {
            let status = Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
            assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stdout));
        }
        let _ = std::fs::remove_file(path);
    }
    let info = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = pdf.get_dictionary(info).unwrap();
    assert_eq!(
        info.get(b"CreationDate").unwrap().as_str().unwrap(),
        b"D:20260430000000Z"
    );
    let author = lopdf::decode_text_string(info.get(b"Author").unwrap()).unwrap();
    assert_eq!(author, "Amira Khan");
}

/// Same input, same bytes: twice in one process, and with the build date
/// carried into the file.
#[test]
fn builds_are_byte_identical() {
    let doc = sample();
    let a = render(&doc);
    let b = render(&doc);
    assert!(a == b, "two renders in one process differ");
    let other = document(generated(3, false).path());
    let c = render(&other);
    let d = render(&other);
    assert!(c == d);
    assert_ne!(a, c);
    let mut later = doc.clone();
    later.build_date = Date {
        year: 2027,
        month: 1,
        day: 2,
    };
    let e = render(&later);
    // The build date is the file's date (in the information dictionary,
    // packed in an object stream).
    let pdf = Pdf::load_mem(&e).unwrap();
    let info = pdf.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = pdf.get_dictionary(info).unwrap();
    let date = info.get(b"CreationDate").unwrap().as_str().unwrap();
    assert!(date.starts_with(b"D:20270102"), "{}", String::from_utf8_lossy(date));
}

/// A long item: many paragraphs, a 60-row table, a 5,000-character word,
/// Welsh, Polish and Greek text. No panic, the table's header repeats, the
/// text is all there and inside the page.
#[test]
fn long_item_lays_out() {
    let dir = generated(24, true);
    let doc = document(dir.path());
    let bytes = render(&doc);
    let pdf = Pdf::load_mem(&bytes).unwrap();
    let texts = page_texts(&pdf);
    let header_pages = texts
        .iter()
        .filter(|t| normalised(t).contains("Column A Column B Column C"))
        .count();
    assert!(header_pages >= 2, "the table header repeats: {header_pages}");
    let all = normalised(&texts.join(" "));
    for word in ["ŵyr", "ŷd", "zażółć", "łódź", "śnieg", "Καλημέρα", "row 59"] {
        assert!(all.contains(word), "{word} missing");
    }
    let xs: usize = texts.iter().map(|t| t.matches('x').count()).sum();
    assert!(xs >= 5000, "the long word is kept: {xs}");
    // Text positions (Tm operators) stay inside the page margins (the
    // PDF's y, from the bottom of the page).
    for (_, id) in pdf.get_pages() {
        let content = pdf.get_page_content(id);
        let ops = lopdf::content::Content::decode(&content).unwrap();
        for op in ops.operations.iter().filter(|o| o.operator == "Tm") {
            let x = op.operands[4].as_float().unwrap();
            let y = op.operands[5].as_float().unwrap();
            assert!((56.0..=539.0).contains(&x), "x {x}");
            assert!((30.0..=800.0).contains(&y), "y {y}");
        }
    }
}

/// The structure tree of a tagged PDF, walked in reading order: each
/// element's role (`/S`), its parent's role, and its dictionary.
fn struct_elements(pdf: &Pdf) -> Vec<(String, String, lopdf::Dictionary)> {
    fn deref<'a>(pdf: &'a Pdf, o: &'a Object) -> &'a Object {
        match o {
            Object::Reference(r) => pdf.get_object(*r).unwrap(),
            o => o,
        }
    }
    fn walk(pdf: &Pdf, kids: &Object, parent: &str, out: &mut Vec<(String, String, lopdf::Dictionary)>, depth: usize) {
        assert!(depth < 200, "the structure tree is bounded");
        let kids: Vec<&Object> = match deref(pdf, kids) {
            Object::Array(a) => a.iter().map(|o| deref(pdf, o)).collect(),
            o => vec![o],
        };
        for k in kids {
            let Ok(d) = k.as_dict() else { continue };
            let Ok(role) = d.get(b"S").and_then(Object::as_name) else {
                continue;
            };
            let role = String::from_utf8_lossy(role).to_string();
            out.push((role.clone(), parent.to_string(), d.clone()));
            if let Ok(k) = d.get(b"K") {
                walk(pdf, k, &role, out, depth + 1);
            }
        }
    }
    let root = deref(pdf, pdf.catalog().unwrap().get(b"StructTreeRoot").unwrap())
        .as_dict()
        .unwrap();
    let mut out = Vec::new();
    walk(pdf, root.get(b"K").unwrap(), "Root", &mut out, 0);
    out
}

/// The sample's structure: headings in order never skip a level and the
/// sections' are H1, items' H2; every table cell is in a row of a table;
/// every figure has alternative text; every link annotation a
/// description; the document's language is British English.
#[test]
fn the_structure_tree_nests_headings_tables_figures_and_links() {
    let doc = sample();
    let pdf = Pdf::load_mem(&render(&doc)).unwrap();
    let elements = struct_elements(&pdf);
    let text = |d: &lopdf::Dictionary, key: &[u8]| {
        d.get(key)
            .ok()
            .and_then(|o| lopdf::decode_text_string(o).ok())
            .unwrap_or_default()
    };
    let mut last = 0;
    let mut headings = Vec::new();
    for (role, _, d) in &elements {
        if let Some(level) = role.strip_prefix('H').and_then(|l| l.parse::<usize>().ok()) {
            assert!(level <= last + 1, "H{level} after H{last}: {}", text(d, b"T"));
            assert!(!text(d, b"T").is_empty(), "a heading without its title");
            last = level;
            headings.push((level, text(d, b"T")));
        }
    }
    for s in ["Progress", "Mapping grid", "Evidence location table", "Criteria"] {
        assert!(headings.contains(&(1, s.to_string())), "{s} is not an H1: {headings:?}");
    }
    let item = &doc.items[0];
    assert!(
        headings.iter().any(|(l, t)| *l == 2 && t.contains(&item.title)),
        "the first item is not an H2: {headings:?}"
    );
    let parents: BTreeMap<&str, BTreeSet<&str>> = elements.iter().fold(BTreeMap::new(), |mut m, (r, p, _)| {
        m.entry(r.as_str()).or_default().insert(p.as_str());
        m
    });
    for cell in ["TD", "TH"] {
        assert!(
            parents[cell].iter().all(|p| *p == "TR"),
            "{cell} outside a row: {:?}",
            parents[cell]
        );
    }
    assert!(
        parents["TR"].iter().all(|p| ["Table", "THead", "TBody"].contains(p)),
        "a row outside a table: {:?}",
        parents["TR"]
    );
    let figures: Vec<_> = elements.iter().filter(|(r, _, _)| r == "Figure").collect();
    assert!(!figures.is_empty(), "the sample's images are figures");
    for (_, _, d) in &figures {
        assert!(!text(d, b"Alt").is_empty(), "a figure without alternative text");
    }
    let mut links = 0;
    for (_, id) in pdf.get_pages() {
        let page = pdf.get_dictionary(id).unwrap();
        let Ok(annots) = page.get(b"Annots").and_then(Object::as_array) else {
            continue;
        };
        for a in annots {
            let a = match a {
                Object::Reference(r) => pdf.get_dictionary(*r).unwrap(),
                o => o.as_dict().unwrap(),
            };
            assert!(!text(a, b"Contents").is_empty(), "a link without a description");
            assert!(a.has(b"StructParent"), "a link outside the structure");
            links += 1;
        }
    }
    assert!(links > 20, "{links} links");
    let lang = lopdf::decode_text_string(pdf.catalog().unwrap().get(b"Lang").unwrap()).unwrap();
    assert_eq!(lang, "en-GB");
}

/// Every marked sequence of content on every page is in the structure:
/// the page's entry in the parent tree has one element per MCID the page's
/// content stream opens (0, 1, 2… in order), and that element lists the
/// MCID among its kids, on that page; every annotation's /StructParent
/// leads to the element that lists it. A sequence no element claims would
/// be content a screen reader never reaches.
#[test]
fn every_marked_sequence_and_annotation_is_claimed_by_its_element() {
    let pdf = Pdf::load_mem(&render(&sample())).unwrap();
    let root = pdf
        .get_object(
            pdf.catalog()
                .unwrap()
                .get(b"StructTreeRoot")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap()
        .as_dict()
        .unwrap()
        .clone();
    let nums = root
        .get(b"ParentTree")
        .unwrap()
        .as_dict()
        .unwrap()
        .get(b"Nums")
        .unwrap()
        .as_array()
        .unwrap();
    let mut tree: BTreeMap<i64, &Object> = BTreeMap::new();
    for pair in nums.chunks(2) {
        tree.insert(pair[0].as_i64().unwrap(), &pair[1]);
    }
    // Does element `el` list MCID `mcid` on page `page` (an integer kid on
    // its own /Pg, or a marked-content reference naming the page)?
    let claims = |el: &lopdf::Dictionary, page: ObjectId, mcid: i64| -> bool {
        let own = el.get(b"Pg").and_then(Object::as_reference).ok() == Some(page);
        let kids = match el.get(b"K").unwrap() {
            Object::Array(a) => a.clone(),
            o => vec![o.clone()],
        };
        kids.iter().any(|k| match k {
            Object::Integer(n) => own && *n == mcid,
            Object::Dictionary(d) => {
                d.get(b"MCID").and_then(Object::as_i64).ok() == Some(mcid)
                    && d.get(b"Pg").and_then(Object::as_reference).ok() == Some(page)
            }
            _ => false,
        })
    };
    let mut checked = 0;
    for (n, (_, page)) in pdf.get_pages().into_iter().enumerate() {
        let dict = pdf.get_object(page).unwrap().as_dict().unwrap();
        assert_eq!(dict.get(b"StructParents").unwrap().as_i64().unwrap(), n as i64);
        let content = lopdf::content::Content::decode(&pdf.get_page_content(page)).unwrap();
        let mcids: Vec<i64> = content
            .operations
            .iter()
            .filter(|o| o.operator == "BDC")
            .filter_map(|o| o.operands.get(1)?.as_dict().ok()?.get(b"MCID").ok()?.as_i64().ok())
            .collect();
        assert_eq!(mcids, (0..mcids.len() as i64).collect::<Vec<_>>(), "page {}", n + 1);
        let entry = tree[&(n as i64)];
        let parents = pdf
            .get_object(entry.as_reference().unwrap())
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(parents.len(), mcids.len(), "page {}", n + 1);
        for (mcid, parent) in mcids.iter().zip(parents) {
            let el = pdf
                .get_object(parent.as_reference().unwrap())
                .unwrap()
                .as_dict()
                .unwrap();
            assert!(
                claims(el, page, *mcid),
                "page {}, MCID {mcid}: its parent does not list it",
                n + 1
            );
            checked += 1;
        }
        if let Ok(annots) = dict.get(b"Annots").and_then(Object::as_array) {
            for a in annots {
                let id = a.as_reference().unwrap();
                let key = pdf
                    .get_object(id)
                    .unwrap()
                    .as_dict()
                    .unwrap()
                    .get(b"StructParent")
                    .unwrap()
                    .as_i64()
                    .unwrap();
                let el = pdf
                    .get_object(tree[&key].as_reference().unwrap())
                    .unwrap()
                    .as_dict()
                    .unwrap();
                let kids = el.get(b"K").unwrap().as_array().unwrap();
                assert!(
                    kids.iter().any(|k| k
                        .as_dict()
                        .is_ok_and(|d| d.get(b"Obj").and_then(Object::as_reference).ok() == Some(id))),
                    "annotation {id:?} is not listed by its element"
                );
            }
        }
    }
    assert!(checked > 500, "{checked} marked sequences");
}

/// The objects without a stream (the structure tree is half the sample's
/// objects) are packed into object streams with a cross-reference stream
/// (render::pdf::pack): none left at the top level, and the sample's file
/// under 400 KB (596 KB with them plain).
#[test]
fn plain_objects_are_packed_into_object_streams() {
    let pdf = render(&sample());
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Type /ObjStm"));
    assert!(text.contains("/Type /XRef"));
    assert!(
        !text.contains("/Type/StructElem") && !text.contains("/Type /StructElem"),
        "a structure element left uncompressed"
    );
    assert!(!text.contains("\nxref\n"), "a cross-reference table as well");
    assert!(pdf.len() < 400 * 1024, "{} bytes", pdf.len());
    let doc = Pdf::load_mem(&pdf).unwrap();
    assert_eq!(doc.get_pages().len(), 30);
}
