package chat

import (
	"strings"
)

// minEnglishShare is the share of a question's words that must be English
// glossary words before the question is read as English.
const minEnglishShare = 0.5

// translate puts an English question's words into French, word by word,
// keeping names and numbers. ok is false when the question is not English.
func translate(q string, glossary map[string]string) (string, bool) {
	if len(glossary) == 0 {
		return q, false
	}
	fields := strings.Fields(q)
	known := 0
	total := 0
	for _, f := range fields {
		w := strings.ToLower(strings.Trim(f, "?!.,;:\"'()«»"))
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w == "" {
			continue
		}
		total++
		if _, ok := lookupEnglish(glossary, w); ok {
			known++
		}
	}
	if total == 0 || float64(known)/float64(total) < minEnglishShare {
		return q, false
	}
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		core := strings.Trim(f, "?!.,;:\"'()«»")
		// "OpenAI's models": the possessive says nothing the name does not.
		if c, ok := strings.CutSuffix(core, "'s"); ok && c != "" {
			f, core = c, c
		} else if c, ok := strings.CutSuffix(core, "’s"); ok && c != "" {
			f, core = c, c
		}
		fr, ok := lookupEnglish(glossary, strings.ToLower(core))
		switch {
		case !ok:
			out = append(out, f)
		case fr != "":
			out = append(out, fr)
		}
	}
	return strings.Join(out, " ") + " ?", true
}

// englishEndings are inflections tried off a word the glossary lacks:
// "partners" -> "partner", "invested" -> "invest".
var englishEndings = []string{"s", "es", "ed", "d", "ing"}

// lookupEnglish finds a word in the glossary, as written or uninflected.
func lookupEnglish(glossary map[string]string, w string) (string, bool) {
	if fr, ok := glossary[w]; ok {
		return fr, true
	}
	for _, end := range englishEndings {
		if base, ok := strings.CutSuffix(w, end); ok && len(base) > 2 {
			if fr, ok := glossary[base]; ok {
				return fr, true
			}
		}
	}
	return "", false
}
