package index

// Kind says what part of a document a passage is.
type Kind string

// The kinds of passage.
const (
	KindParagraph Kind = "paragraph"
	KindTableRow  Kind = "table_row"
	KindFAQ       Kind = "faq"
)

// Passage is the unit Causette retrieves and cites: one paragraph, one table
// row read with its header, or one FAQ question with its answer.
type Passage struct {
	// ID is stable for an unchanged corpus: "<doc>#p<paragraph>".
	ID string `json:"id"`
	// Doc is the document's slug, from its file name.
	Doc string `json:"doc"`
	// Title is the document's title.
	Title string `json:"title"`
	// Section is the heading the passage sits under ("" before the first one).
	Section string `json:"section"`
	// Paragraph is the 1-based line of the document where the passage starts
	// (.txt, .md), or the passage's ordinal in its document (other formats).
	Paragraph int `json:"paragraph"`
	// Kind is paragraph, table_row or faq.
	Kind Kind `json:"kind"`
	// Text is what a citation shows: the paragraph, the row read with its
	// header, or the FAQ answer.
	Text string `json:"text"`
	// Question is the FAQ question (kind faq only).
	Question string `json:"question,omitempty"`
	// Alternates are other phrasings of the FAQ question, found as it is.
	Alternates []string `json:"alternates,omitempty"`
	// Attached are phrasings staff attached to the passage (see
	// Attachment): it is found for them as an FAQ entry for its question,
	// without becoming one. They are visitors' wordings: no JSON (the
	// public search API shows passages) carries them.
	Attached []string `json:"-"`
	// URL is where the passage can be read at its source: its document's
	// address, with the anchor of its section where the page has one; ""
	// when the document has none.
	URL string `json:"url,omitempty"`
	// Row locates a table row (kind table_row only).
	Row *TableRow `json:"row,omitempty"`
}

// TableRow is one row of a Markdown table with the header that names its cells.
type TableRow struct {
	// Table is the 1-based number of the table in its document.
	Table int `json:"table"`
	// Number is the 1-based number of the row in its table, header excluded.
	Number int `json:"number"`
	// Header holds the header cells; Cells the row's cells, as many.
	Header []string `json:"header"`
	Cells  []string `json:"cells"`
}

// Label is the row's first cell: the entity or attribute the row is about.
func (r *TableRow) Label() string {
	if r == nil || len(r.Cells) == 0 {
		return ""
	}
	return r.Cells[0]
}

// Document is one parsed source file.
type Document struct {
	// Slug is the document's id: its path in the corpus folder without the
	// extension (« aide/index »).
	Slug  string
	Title string
	// URL is the document's address, "" when it has none.
	URL string
	// Located is the URL the corpus folder gave the document (the crawl's
	// manifest, --base-url), which its own may override: a document kept
	// on disk is read again when it changes.
	Located string
	// Served is the type a crawled page was served with (its charset reads
	// it): a document kept on disk is read again when it changes.
	Served string
	// Problem says what of the file was left out (a sheet's rows without
	// an answer), "" when nothing was.
	Problem  string
	Passages []Passage
}
