package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/causette/causette/index"
)

// maxWordings is how many distinct wordings a group lists: enough to see how
// visitors phrase it, short enough to read.
const maxWordings = 5

// Group is a set of questions worded alike.
type Group struct {
	// Key is what the questions share (see GroupKey).
	Key string `json:"key"`
	// Question is the most frequent wording (the latest on a tie).
	Question string `json:"question"`
	// Count is how many times it was asked.
	Count int `json:"count"`
	// NoAnswer, Up and Down count the no_answer turns and the thumbs.
	NoAnswer int `json:"no_answer"`
	Up       int `json:"up"`
	Down     int `json:"down"`
	// Last is when it was last asked.
	Last time.Time `json:"last"`
	// Wordings are the distinct wordings, most frequent first (at most
	// maxWordings).
	Wordings []Wording `json:"wordings"`
	// Passage is the passage cited most often ("" when none).
	Passage string `json:"passage"`
	// Answer is the latest answer given to the group's questions ("" for
	// turns logged before answers were kept).
	Answer string `json:"answer"`
	// Nearest are the passages closest to the question, filled by the caller
	// (the log does not know the corpus): what the corpus could answer with.
	Nearest []Near `json:"nearest,omitempty"`
}

// Wording is one way a question was written, and how often.
type Wording struct {
	Text  string `json:"text"`
	Count int    `json:"count"`
}

// Near is a passage close to a group's question.
type Near struct {
	ID        string  `json:"id"`
	Title     string  `json:"title"`
	Section   string  `json:"section"`
	Paragraph int     `json:"paragraph"`
	Score     float64 `json:"score"`
	// Text is an excerpt of the passage's text (nearTextRunes at most,
	// from a little before its first matched word), for staff to judge it
	// without opening it; « … » marks what was cut.
	Text string `json:"text"`
	// Highlights are the [start, end) spans of Text, in code points, of
	// the words that match the question or one of its synonyms.
	Highlights [][2]int `json:"highlights"`
}

// Excerpt bounds: nearTextRunes of text at most, starting nearLead code
// points before the first matched word when that word lies past the start.
const (
	nearTextRunes = 220
	nearLead      = 60
)

// NearOf lists search matches as the Nearest of a group, best first.
func NearOf(ms []index.Match) []Near {
	var out []Near
	for _, m := range ms {
		p := m.Passage
		text, hl := nearExcerpt(p.Text, m.Highlights)
		out = append(out, Near{ID: p.ID, Title: p.Title, Section: p.Section, Paragraph: p.Paragraph, Score: m.Score, Text: text, Highlights: hl})
	}
	return out
}

// nearExcerpt cuts text to nearTextRunes around its first highlight and moves
// the highlights that stay whole into the excerpt's offsets.
func nearExcerpt(text string, spans [][2]int) (string, [][2]int) {
	r := []rune(text)
	start := 0
	if len(spans) > 0 && spans[0][1] > nearTextRunes {
		start = max(0, spans[0][0]-nearLead)
	}
	end := min(len(r), start+nearTextRunes)
	out := string(r[start:end])
	shift := 0
	if start > 0 {
		out, shift = "…"+out, 1-start
	}
	if end < len(r) {
		out += "…"
	}
	hl := [][2]int{}
	for _, s := range spans {
		if s[0] >= start && s[1] <= end {
			hl = append(hl, [2]int{s[0] + shift, s[1] + shift})
		}
	}
	return out, hl
}

// Unanswered groups the questions answered no_answer since the given time,
// most asked first.
func (l *Log) Unanswered(ctx context.Context, since time.Time, limit int) ([]Group, error) {
	db, err := l.reader()
	if err != nil {
		return nil, err
	}
	return groups(ctx, db, &l.keys, `kind = 'no_answer'`, since, limit)
}

// Top groups every question but small talk since the given time, most asked
// first.
func (l *Log) Top(ctx context.Context, since time.Time, limit int) ([]Group, error) {
	db, err := l.reader()
	if err != nil {
		return nil, err
	}
	return groups(ctx, db, &l.keys, `kind <> 'smalltalk'`, since, limit)
}

// Disliked lists the turns given a thumbs down since the given time, newest
// first.
func (l *Log) Disliked(ctx context.Context, since time.Time, limit int) ([]Turn, error) {
	db, err := l.reader()
	if err != nil {
		return nil, err
	}
	return turns(ctx, db, `feedback = 'down'`, since, limit)
}

// Recent lists the latest turns since the given time, newest first.
func (l *Log) Recent(ctx context.Context, since time.Time, limit int) ([]Turn, error) {
	db, err := l.reader()
	if err != nil {
		return nil, err
	}
	return turns(ctx, db, `1 = 1`, since, limit)
}

// turns reads the turns matching where (a constant SQL condition).
func turns(ctx context.Context, db *DB, where string, since time.Time, limit int) ([]Turn, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, at, question, kind, confidence, passage, latency_us, feedback, answer, previous
		FROM turns WHERE at >= ? AND `+where+` ORDER BY at DESC, id DESC LIMIT ?`, millis(since), sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("read turns: %w", err)
	}
	defer rows.Close()
	var out []Turn
	for rows.Next() {
		var t Turn
		var at, us int64
		if err := rows.Scan(&t.ID, &at, &t.Question, &t.Kind, &t.Confidence, &t.Passage, &us, &t.Feedback, &t.Answer, &t.Previous); err != nil {
			return nil, fmt.Errorf("read turns: %w", err)
		}
		t.Time, t.Latency = fromMillis(at), time.Duration(us)*time.Microsecond
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read turns: %w", err)
	}
	return out, nil
}

// groups reads the turns matching where, one row per distinct wording and
// passage, and gathers them by GroupKey.
func groups(ctx context.Context, db *DB, keys *keyCache, where string, since time.Time, limit int) ([]Group, error) {
	// answer is the latest answer to that wording and passage, read by a
	// subquery both databases take (SQLite alone reads a bare column
	// beside max() from the row holding the max).
	rows, err := db.QueryContext(ctx, `SELECT question, passage, count(*), max(at),
			sum(CASE WHEN kind = 'no_answer' THEN 1 ELSE 0 END), sum(CASE WHEN feedback = 'up' THEN 1 ELSE 0 END),
			sum(CASE WHEN feedback = 'down' THEN 1 ELSE 0 END),
			(SELECT latest.answer FROM turns latest WHERE latest.question = turns.question AND latest.passage = turns.passage
				AND latest.at >= ? AND `+where+` ORDER BY latest.at DESC, latest.id DESC LIMIT 1)
		FROM turns WHERE at >= ? AND `+where+` GROUP BY question, passage`, millis(since), millis(since))
	if err != nil {
		return nil, fmt.Errorf("read questions: %w", err)
	}
	defer rows.Close()
	type acc struct {
		g        *Group
		wordings map[string]*Wording
		lastOf   map[string]int64
		passages map[string]int
	}
	byKey := map[string]*acc{}
	var order []*acc
	for rows.Next() {
		var q, passage, answer string
		var n, at int64
		var none, up, down int
		if err := rows.Scan(&q, &passage, &n, &at, &none, &up, &down, &answer); err != nil {
			return nil, fmt.Errorf("read questions: %w", err)
		}
		k := keys.key(q)
		a := byKey[k]
		if a == nil {
			a = &acc{g: &Group{Key: k}, wordings: map[string]*Wording{}, lastOf: map[string]int64{}, passages: map[string]int{}}
			byKey[k] = a
			order = append(order, a)
		}
		g := a.g
		g.Count += int(n)
		g.NoAnswer += none
		g.Up += up
		g.Down += down
		if t := fromMillis(at); t.After(g.Last) {
			g.Last = t
			g.Answer = answer // the latest answer given to the group
		}
		w := a.wordings[q]
		if w == nil {
			w = &Wording{Text: q}
			a.wordings[q] = w
		}
		w.Count += int(n)
		a.lastOf[q] = max(a.lastOf[q], at)
		if passage != "" {
			a.passages[passage] += int(n)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read questions: %w", err)
	}
	// Keys alike are one question in other words: the less asked joins the
	// more asked (mergeSimilar).
	slices.SortStableFunc(order, func(x, y *acc) int { return cmp.Or(cmp.Compare(y.g.Count, x.g.Count), cmp.Compare(x.g.Key, y.g.Key)) })
	keyList := make([]string, len(order))
	for i, a := range order {
		keyList[i] = a.g.Key
	}
	into := mergeSimilar(keyList)
	kept := order[:0]
	for _, a := range order {
		target := byKey[into[a.g.Key]]
		if target == a {
			kept = append(kept, a)
			continue
		}
		t := target.g
		t.Count += a.g.Count
		t.NoAnswer += a.g.NoAnswer
		t.Up += a.g.Up
		t.Down += a.g.Down
		if a.g.Last.After(t.Last) {
			t.Last, t.Answer = a.g.Last, a.g.Answer
		}
		for q, w := range a.wordings {
			if tw := target.wordings[q]; tw != nil {
				tw.Count += w.Count
			} else {
				target.wordings[q] = w
			}
			target.lastOf[q] = max(target.lastOf[q], a.lastOf[q])
		}
		for p, n := range a.passages {
			target.passages[p] += n
		}
	}
	order = kept
	out := make([]Group, 0, len(order))
	for _, a := range order {
		g := a.g
		ws := make([]Wording, 0, len(a.wordings))
		for _, w := range a.wordings {
			ws = append(ws, *w)
		}
		slices.SortFunc(ws, func(x, y Wording) int {
			return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(a.lastOf[y.Text], a.lastOf[x.Text]), cmp.Compare(x.Text, y.Text))
		})
		g.Question = ws[0].Text
		g.Wordings = ws[:min(len(ws), maxWordings)]
		best := 0
		for p, n := range a.passages {
			if n > best || (n == best && p < g.Passage) {
				g.Passage, best = p, n
			}
		}
		out = append(out, *g)
	}
	slices.SortFunc(out, func(x, y Group) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), y.Last.Compare(x.Last), cmp.Compare(x.Question, y.Question))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// sqlLimit turns "no limit" (0 or less) into a LIMIT both databases take.
func sqlLimit(limit int) int {
	if limit <= 0 {
		return math.MaxInt64
	}
	return limit
}

// maxSinceDays bounds a look-back period: a century, far beyond any
// retention, and far from overflowing a time.Duration.
const maxSinceDays = 36500

// ParseSince reads a look-back period: "7d" (days), or a Go duration such as
// "12h" or "90m".
func ParseSince(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > maxSinceDays {
			return 0, fmt.Errorf("period %q: want days such as 7d, or a duration such as 12h", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("period %q: want days such as 7d, or a duration such as 12h", s)
	}
	return d, nil
}
