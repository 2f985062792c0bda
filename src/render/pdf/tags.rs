//! The structure tree of the PDF, from the logical structure the layout
//! recorded (`layout::structure`): which elements are kept (those that hold
//! content; table rows and cells always), each element with its role
//! (headings with their titles, lists with their numbering, header cells
//! with their scope, figures, links and annots with alternative text), its
//! parent, page and children (marked-content ids, annotations); and the
//! parent tree back from each page's marked sequences and each annotation
//! to the element that holds it.

use super::layout::structure::{self, Child, Kind};
use pdf_writer::types::{ListNumbering, StructRole, TableHeaderScope};
use pdf_writer::{Chunk, Finish, Ref, TextStr};

/// What a draw is in the structure once written: the marked sequence it
/// starts, or the annotation it is.
#[derive(Clone, Copy)]
pub enum Id {
    /// The marked-content id on its page.
    Mcid(i32),
    /// The annotation object and its key in the parent tree
    /// (`/StructParent`).
    Annot(Ref, i32),
}

/// The structure role of an element kind (levels past 6 are H6).
fn role(kind: &Kind) -> StructRole {
    match kind {
        Kind::Document => StructRole::Document,
        Kind::Sect => StructRole::Sect,
        Kind::H(level, _) => match level {
            0 | 1 => StructRole::H1,
            2 => StructRole::H2,
            3 => StructRole::H3,
            4 => StructRole::H4,
            5 => StructRole::H5,
            _ => StructRole::H6,
        },
        Kind::P => StructRole::P,
        Kind::L(_) => StructRole::L,
        Kind::LI => StructRole::LI,
        Kind::Lbl => StructRole::Lbl,
        Kind::LBody => StructRole::LBody,
        Kind::Table => StructRole::Table,
        Kind::THead => StructRole::THead,
        Kind::TBody => StructRole::TBody,
        Kind::TR => StructRole::TR,
        Kind::TH(_) => StructRole::TH,
        Kind::TD => StructRole::TD,
        Kind::Figure(_) => StructRole::Figure,
        Kind::Caption => StructRole::Caption,
        Kind::Link(_) => StructRole::Link,
        Kind::Annot(_) => StructRole::Annot,
        Kind::BlockQuote => StructRole::BlockQuote,
    }
}

/// The structure tree: which elements are kept (those holding content;
/// table rows and cells always, so rows stay whole), each written with its
/// parent, page and children; and the parent tree, from each page's
/// marked sequences and each annotation back to its element.
struct Tags<'a> {
    tree: &'a structure::Tree,
    ids: &'a [Vec<Option<Id>>],
    page_ids: &'a [Ref],
    /// The object of each kept element.
    refs: Vec<Option<Ref>>,
    /// Per page, by MCID: the element holding that sequence.
    parents: Vec<Vec<Option<Ref>>>,
    /// By annotation key: the element holding the annotation.
    annot_parents: Vec<(i32, Ref)>,
}

impl Tags<'_> {
    /// Marks which elements are kept, children first; returns whether `n` is.
    /// The tree is as deep as [`structure::MAX_DEPTH`] allows, so the
    /// recursion is bounded.
    fn keep(&mut self, n: u32, alloc: &mut impl FnMut() -> Ref) -> bool {
        let e = &self.tree.elements[n as usize];
        let mut any = false;
        for c in &e.children {
            match *c {
                Child::Content { page, draw } => {
                    any |= self.id(page, draw).is_some();
                }
                Child::Node(k) => any |= self.keep(k, alloc),
            }
        }
        let cell = matches!(e.kind, Kind::TD | Kind::TH(_) | Kind::TR);
        let kept = any || cell;
        if kept {
            self.refs[n as usize] = Some(alloc());
        }
        kept
    }

    fn id(&self, page: u32, draw: u32) -> Option<Id> {
        self.ids.get(page as usize)?.get(draw as usize).copied().flatten()
    }

    /// Writes element `n` (kept) under `parent`.
    fn write(&mut self, chunk: &mut Chunk, n: u32, parent: Ref) {
        let Some(me) = self.refs[n as usize] else { return };
        let e = &self.tree.elements[n as usize];
        // Its page: that of its first content.
        let first_page = e.children.iter().find_map(|c| match *c {
            Child::Content { page, draw } => self.id(page, draw).map(|_| page as usize),
            Child::Node(_) => None,
        });
        let mut el = chunk.struct_element(me);
        el.kind(role(&e.kind)).parent(parent);
        if let Some(p) = first_page.and_then(|p| self.page_ids.get(p)) {
            el.page(*p);
        }
        match &e.kind {
            Kind::H(_, title) => {
                el.title(TextStr(title));
            }
            Kind::Figure(alt) | Kind::Link(alt) | Kind::Annot(alt) => {
                el.alt(TextStr(alt));
            }
            Kind::L(numbered) => {
                el.attributes().push().list().list_numbering(if *numbered {
                    ListNumbering::Decimal
                } else {
                    ListNumbering::Disc
                });
            }
            Kind::TH(row) => {
                el.attributes().push().table().scope(if *row {
                    TableHeaderScope::Row
                } else {
                    TableHeaderScope::Column
                });
            }
            _ => {}
        }
        let mut nodes = Vec::new();
        {
            let mut kids = el.children();
            for c in &e.children {
                match *c {
                    Child::Content { page, draw } => match self.id(page, draw) {
                        Some(Id::Mcid(mcid)) => {
                            let p = page as usize;
                            if first_page == Some(p) {
                                kids.marked_content_id(mcid);
                            } else if let Some(pr) = self.page_ids.get(p) {
                                kids.marked_content_ref().marked_content_id(mcid).page(*pr);
                            }
                            if let Some(slot) = self.parents.get_mut(p).and_then(|v| v.get_mut(mcid as usize)) {
                                *slot = Some(me);
                            }
                        }
                        Some(Id::Annot(annot, key)) => {
                            let mut r = kids.object_ref();
                            r.object(annot);
                            if let Some(pr) = self.page_ids.get(page as usize) {
                                r.page(*pr);
                            }
                            r.finish();
                            self.annot_parents.push((key, me));
                        }
                        None => {}
                    },
                    Child::Node(k) => {
                        if let Some(r) = self.refs[k as usize] {
                            kids.struct_element(r);
                            nodes.push(k);
                        }
                    }
                }
            }
        }
        el.finish();
        for k in nodes {
            self.write(chunk, k, me);
        }
    }
}

/// What the pages' writing left for the tree: the structure the layout
/// recorded, what each draw became (`ids`, per page and draw), the pages'
/// objects, how many MCIDs each page opened, and the first parent-tree key
/// after the annotations'.
pub struct Written<'a> {
    pub tree: &'a structure::Tree,
    pub ids: &'a [Vec<Option<Id>>],
    pub page_ids: &'a [Ref],
    pub mcid_counts: &'a [usize],
    pub next_key: i32,
}

/// Writes the structure tree root `root` (with its parent tree) and every
/// element under one Document element, each object numbered by `alloc`.
pub fn write(chunk: &mut Chunk, alloc: &mut impl FnMut() -> Ref, w: Written<'_>, root: Ref) {
    let mut tags = Tags {
        tree: w.tree,
        ids: w.ids,
        page_ids: w.page_ids,
        refs: vec![None; w.tree.elements.len()],
        parents: w.mcid_counts.iter().map(|&n| vec![None; n]).collect(),
        annot_parents: Vec::new(),
    };
    let document = alloc();
    let mut top = Vec::new();
    for c in &w.tree.elements[0].children {
        if let Child::Node(k) = *c
            && tags.keep(k, alloc)
        {
            top.push(k);
        }
    }
    {
        let mut d = chunk.struct_element(document);
        d.kind(StructRole::Document).parent(root);
        let mut kids = d.children();
        for r in top.iter().filter_map(|&k| tags.refs[k as usize]) {
            kids.struct_element(r);
        }
    }
    for &k in &top {
        tags.write(chunk, k, document);
    }
    let page_arrays: Vec<Ref> = tags
        .parents
        .iter()
        .map(|refs| {
            let id = alloc();
            chunk
                .indirect(id)
                .array()
                .items(refs.iter().map(|r| r.unwrap_or(document)));
            id
        })
        .collect();
    let mut r = chunk.indirect(root).start::<pdf_writer::writers::StructTreeRoot>();
    r.child(document);
    let mut tree = r.parent_tree();
    let mut nums = tree.nums();
    for (n, id) in page_arrays.iter().enumerate() {
        nums.insert(n as i32, *id);
    }
    for (key, el) in &tags.annot_parents {
        nums.insert(*key, *el);
    }
    nums.finish();
    tree.finish();
    r.parent_tree_next_key(w.next_key);
}
