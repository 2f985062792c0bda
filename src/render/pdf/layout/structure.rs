//! The document's logical structure, recorded as the flow places things:
//! a tree of elements (sections, headings, paragraphs, lists, tables,
//! figures, links) whose leaves are the draws on the pages, in reading
//! order. Every draw is either content of one element or an artifact
//! (running header and footer, rules and fills, a table header repeated on
//! a continuation page). The writer turns the tree into the PDF's tag
//! tree; nothing here knows about PDF.

/// The largest nesting the tree records: deeper elements (a quote in a
/// list in a quote…) join their nearest open ancestor, so the tree stays
/// bounded whatever the Markdown.
pub const MAX_DEPTH: usize = 48;

/// What a structure element is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// The whole document (the root, element 0).
    Document,
    /// A section: one per bookmark, nested as the bookmarks are.
    Sect,
    /// A heading of level 1.., with its text (PDF/UA asks for a title).
    H(u16, String),
    P,
    /// A list; `true` when numbered.
    L(bool),
    LI,
    /// A list item's marker.
    Lbl,
    /// A list item's content.
    LBody,
    Table,
    THead,
    TBody,
    TR,
    /// A header cell; `true` when it heads a row, else a column.
    TH(bool),
    TD,
    /// An image, with its alternative text.
    Figure(String),
    Caption,
    /// A link, with its description.
    Link(String),
    /// An embedded file's name with the annotation that opens the file,
    /// with its description (PDF/UA puts annotations other than links in
    /// an Annot element).
    Annot(String),
    BlockQuote,
}

impl Kind {
    /// Whether text is placed directly in this element (rather than in a
    /// paragraph inside it).
    pub fn holds_text(&self) -> bool {
        matches!(
            self,
            Kind::H(..) | Kind::P | Kind::Lbl | Kind::TH(_) | Kind::TD | Kind::Caption | Kind::Link(_) | Kind::Annot(_)
        )
    }
}

/// What a structure element holds, in reading order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Child {
    Node(u32),
    /// Draw `draw` of page `page`.
    Content {
        page: u32,
        draw: u32,
    },
}

#[derive(Debug, Clone)]
pub struct Element {
    pub kind: Kind,
    pub children: Vec<Child>,
}

/// Why a draw is not content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Artifact {
    /// The running header.
    Header,
    /// The page footer.
    Footer,
    /// Rules, fills, a repeated table header: layout, not content.
    Layout,
}

/// What one draw is in the structure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    Artifact(Artifact),
    /// Content of element `n`.
    Content(u32),
    /// Content of element `n` that continues the text drawn just before it
    /// on the page (the next line of a paragraph): one marked sequence
    /// with it, so it has no child of its own in the element.
    Continues(u32),
}

/// The tree, element 0 its root.
#[derive(Debug, Clone)]
pub struct Tree {
    pub elements: Vec<Element>,
}

impl Default for Tree {
    fn default() -> Tree {
        Tree {
            elements: vec![Element {
                kind: Kind::Document,
                children: Vec::new(),
            }],
        }
    }
}

impl Tree {
    /// A new element of `kind` as the last child of `parent`.
    pub fn add(&mut self, parent: u32, kind: Kind) -> u32 {
        let id = self.elements.len() as u32;
        self.elements.push(Element {
            kind,
            children: Vec::new(),
        });
        if let Some(p) = self.elements.get_mut(parent as usize) {
            p.children.push(Child::Node(id));
        }
        id
    }

    /// A new element of `kind` in `parent`, just before its child `before`.
    pub fn insert_before(&mut self, parent: u32, before: u32, kind: Kind) -> u32 {
        let id = self.elements.len() as u32;
        self.elements.push(Element {
            kind,
            children: Vec::new(),
        });
        if let Some(p) = self.elements.get_mut(parent as usize) {
            let at = p
                .children
                .iter()
                .position(|c| *c == Child::Node(before))
                .unwrap_or(p.children.len());
            p.children.insert(at, Child::Node(id));
        }
        id
    }

    pub fn kind(&self, id: u32) -> &Kind {
        &self.elements[id as usize].kind
    }
}
