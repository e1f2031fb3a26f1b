package chat

// Kinds of answer.
const (
	KindAnswer    = "answer"
	KindNoAnswer  = "no_answer"
	KindSmalltalk = "smalltalk"
)

// Answer is the one answer shape shared by the command line, the JSON API and
// the WebSocket. Its field names are a public contract: add, never rename.
type Answer struct {
	Kind       string  `json:"kind"`
	Answer     string  `json:"answer"`
	Confidence float64 `json:"confidence"`
	// Uncertain marks an answer offered as a possibility: its confidence
	// passed the threshold but not uncertainBelow, and its text says so.
	Uncertain bool       `json:"uncertain,omitempty"`
	Citations []Citation `json:"citations"`
	// Short is the exact words of the first citation that answer the
	// question (a name, a number with its unit, a date, a place, a short
	// phrase), "" when none stands out; ShortAt is their [start, end)
	// offsets in that citation's Text, in code points (nil with no Short).
	Short       string   `json:"short"`
	ShortAt     []int    `json:"short_at"`
	Suggestions []string `json:"suggestions"`
	// Choices, on an uncertain answer whose two best passages come from
	// two documents and score close, ask the visitor which one was meant:
	// each asks its Q when chosen.
	Choices []Choice `json:"choices,omitempty"`
	Context string   `json:"context"`
	// Contact, on an answer that found nothing, says how to reach the
	// site's team (absent when none is configured).
	Contact *Contact `json:"contact,omitempty"`
}

// Contact is how a visitor reaches the site's team: a page (opened with
// the question) or an e-mail address (a message with the question and the
// passage cited); Form says the server takes the message itself.
type Contact struct {
	URL  string `json:"url,omitempty"`
	Mail string `json:"mail,omitempty"`
	Form bool   `json:"form"`
	// Days, with Form, is how many days a message sent with the form is
	// kept: the form says so to the visitor.
	Days int `json:"days,omitempty"`
}

// Choice is a document the visitor may have meant.
type Choice struct {
	Label string `json:"label"`
	Q     string `json:"q"`
}

// Citation is a passage behind an answer, with the matched words.
type Citation struct {
	ID        string `json:"id"`
	Doc       string `json:"doc"`
	Title     string `json:"title"`
	Section   string `json:"section"`
	Paragraph int    `json:"paragraph"`
	Kind      string `json:"kind"`
	// URL is where the passage can be read at its source (with its
	// section's #anchor), "" when unknown; only http(s).
	URL  string `json:"url"`
	Text string `json:"text"`
	// Highlights are [start, end) offsets into Text in Unicode code points.
	Highlights [][2]int `json:"highlights"`
	Score      float64  `json:"score"`
}
