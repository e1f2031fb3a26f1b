package index

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// The index kept on disk (Options.Dir): Bleve's own folder, and beside it
// the state that makes a start on an unchanged corpus analyse nothing.
const (
	bleveDirName  = "bleve" // bleve-N: generation N
	stateFileName = "corpus.gob"
	// diskFormat names the layout and everything that shapes what is
	// stored: the analyzer, the passage cut, the fields. Change it with any
	// of them and every index on disk is rebuilt, never trusted.
	diskFormat = "causette-index 5 (" + AnalyzerName + " 1, stage one 1, stage two 1, vocabulary 2, documents with paths and URLs, passages with attached phrasings and fingerprints)"
	// lockWait is how long to wait for an index another process holds
	// (Bleve locks its root.bolt and would wait for ever).
	lockWait = time.Second
	// maxStateBytes bounds corpus.gob: 64 MB at 114,000 passages; a file
	// far larger is not ours.
	maxStateBytes = 4 << 30
)

// diskState is what corpus.gob holds.
type diskState struct {
	Format string
	// Lexicons hashes the synonyms and the glossary, embedded and the
	// corpus's own: a change rebuilds every document.
	Lexicons string
	// Bleve names the folder of the generation this state describes;
	// Generation numbers it.
	Bleve      string
	Generation int
	// Files, Docs and Vocabs go together, one entry a corpus file, in name
	// order.
	Files  []fileStamp
	Docs   []*Document
	Vocabs []*docVocab
}

// fileStamp identifies a corpus file's content: size and modification time
// say it is unchanged without reading it; the hash says so after a touch.
type fileStamp struct {
	Name    string
	Size    int64
	ModTime int64
	Hash    string
}

// Progress reports an index build: documents indexed out of those to index
// (new or changed), and passages indexed so far.
type Progress struct {
	Done, Total, Passages int
	Elapsed               time.Duration
}

// ErrLocked is returned (wrapped) when another process holds the index on
// disk, a running `causette serve` for one.
var ErrLocked = errors.New("index locked by another process")

// openOnDisk opens the index kept in o.Dir for the corpus in fsys, bringing
// it up to date: unchanged files are taken from the state as they are,
// changed ones are parsed and re-indexed, removed ones deleted.
//
// Bleve's folder is never changed in place: a change is made in a copy, the
// next generation (bleve-N), and the state that names it is written last.
// The index in service (Options.Previous) keeps its folder untouched until
// it is closed, and a crash at any point leaves the state naming a whole,
// consistent folder. A folder that is not such an index, or is damaged, is
// rebuilt with a warning.
func openOnDisk(o Options, fsys fs.FS, names []string, syn [][]string, lexHash string) (*Index, error) {
	start := time.Now()
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("index %s : %w", o.Dir, err)
	}
	prev := o.Previous
	if prev != nil && (prev.dir != o.Dir || !prev.ownsLock.Load()) {
		prev = nil
	}
	// The folder's lock: the index in service holds it for this process;
	// else it is taken here, and another process holding it is ErrLocked.
	lock := (*dirLock)(nil)
	if prev != nil {
		lock = prev.lock
	} else {
		var err error
		if lock, err = lockDir(o.Dir); err != nil {
			return nil, err
		}
	}
	fail := func(err error) (*Index, error) {
		if prev == nil {
			lock.release()
		}
		return nil, err
	}

	state, err := readState(o.Dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		state = nil
	case err != nil:
		log.Warn("index on disk unreadable: rebuilt", "dir", o.Dir, "err", err)
		state = nil
	case state.Format != diskFormat || state.Lexicons != lexHash:
		log.Info("index on disk made for another analyzer or lexicons: rebuilt", "dir", o.Dir)
		state = nil
	}
	old := map[string]int{}
	if state != nil {
		for i, f := range state.Files {
			old[f.Name] = i
		}
	}
	// Every file is read (or taken from the state) and the corpus checked
	// whole before any Bleve work: a corpus that cannot be served changes
	// nothing on disk.
	next := &diskState{Format: diskFormat, Lexicons: lexHash}
	var gone, fresh []*Document
	ids, err := locate(fsys, names, ".", o.BaseURL)
	if err != nil {
		return fail(err)
	}
	loaded := loadAll(fsys, names, ids, state, old)
	var skipped []Skipped
	slugs := map[string]string{}
	for n, name := range names {
		l := loaded[n]
		if l.err == nil && l.doc.Problem != "" {
			if o.Strict {
				return fail(fmt.Errorf("corpus : %s", l.doc.Problem))
			}
			log.Warn("corpus file read in part", "file", name, "err", l.doc.Problem)
			skipped = append(skipped, Skipped{Name: name, Reason: "corpus : " + l.doc.Problem})
		}
		if l.err == nil {
			if other, dup := slugs[l.doc.Slug]; dup {
				l.err = fmt.Errorf("corpus : %s et %s donnent le même document %q ; renommez l'un des deux", other, name, l.doc.Slug)
			}
		}
		if l.err != nil {
			if o.Strict {
				return fail(l.err)
			}
			// Left out, and out of the state: it is read again next time.
			log.Warn("corpus file skipped", "file", name, "err", l.err)
			skipped = append(skipped, Skipped{Name: name, Reason: l.err.Error()})
			continue
		}
		slugs[l.doc.Slug] = name
		if l.fresh {
			if i, ok := old[name]; ok {
				gone = append(gone, state.Docs[i])
			}
			fresh = append(fresh, l.doc)
		}
		delete(old, name)
		next.Files = append(next.Files, l.stamp)
		next.Docs = append(next.Docs, l.doc)
		next.Vocabs = append(next.Vocabs, l.vocab)
	}
	// Documents that come from no file (the team's answers): kept under a
	// name no file can have, indexed again when their content changes.
	for _, d := range o.Extra {
		name, hash := extraName(d), extraHash(d)
		stamp := fileStamp{Name: name, Hash: hash}
		i, known := old[name]
		delete(old, name)
		if known && state.Files[i].Hash == hash {
			next.Files, next.Docs, next.Vocabs = append(next.Files, stamp), append(next.Docs, state.Docs[i]), append(next.Vocabs, state.Vocabs[i])
			continue
		}
		if known {
			gone = append(gone, state.Docs[i])
		}
		fresh = append(fresh, d)
		next.Files, next.Docs, next.Vocabs = append(next.Files, stamp), append(next.Docs, d), append(next.Vocabs, vocabOf(d.Passages))
	}
	att := newAttachments(o.Attached)
	matched := map[string]bool{}
	fresh, gone = attachOnDisk(att, matched, next, fresh, gone)
	for _, i := range old { // files gone from the corpus
		gone = append(gone, state.Docs[i])
	}
	if len(next.Docs) == 0 {
		return fail(fmt.Errorf("corpus : aucun document lisible (%s)", skipped[0].Reason))
	}
	changed := len(fresh) + len(old)
	if err := checkPassageIDs(next.Docs); err != nil {
		return fail(err)
	}

	var bi bleve.Index
	handedOver := false // the handle is the one Previous served
	source := state     // the generation a change is copied from
	if state != nil && changed == 0 {
		next.Bleve, next.Generation = state.Bleve, state.Generation
		if prev != nil && prev.bleveName == state.Bleve && prev.owns.Load() {
			bi, handedOver = prev.bleve, true
		} else if bi, err = openBleve(filepath.Join(o.Dir, state.Bleve)); err != nil {
			log.Warn("Bleve index on disk unreadable: rebuilt", "dir", o.Dir, "err", err)
			bi, source = nil, nil
		}
	}
	if bi == nil { // a change, a first build, or a damaged folder: the next generation
		gen := 1
		if state != nil {
			gen = state.Generation + 1
		}
		next.Bleve, next.Generation = fmt.Sprintf("%s-%d", bleveDirName, gen), gen
		var indexed int
		if bi, indexed, err = buildGeneration(o, source, prev, next.Bleve, next, gone, fresh, start, log); err != nil {
			return fail(err)
		}
		changed = max(changed, indexed)
		if err := writeState(o.Dir, next); err != nil { // the commit point
			bi.Close()
			os.RemoveAll(filepath.Join(o.Dir, next.Bleve))
			return fail(err)
		}
	}
	ix, err := assemble(bi, next.Docs, next.Vocabs, syn)
	if err != nil { // checked above: cannot happen
		return fail(err)
	}
	ix.dir, ix.bleveName, ix.lock = o.Dir, next.Bleve, lock
	ix.stats.Skipped = skipped
	ix.ownsLock.Store(true)
	if prev != nil {
		prev.ownsLock.Store(false) // the new index holds the folder now
		if handedOver {
			prev.owns.Store(false) // and the Bleve handle it took over
		}
	}
	retireGenerations(o.Dir, next.Bleve, prev)
	ix.stats.Changed = changed
	ix.stats.Orphans = att.orphans(matched)
	ix.stats.BuildTime = time.Since(start)
	return ix, nil
}

// attachOnDisk applies the attachments to the documents of next, which
// the state keeps with the phrasings they were indexed with: a document
// whose phrasings changed is indexed again (out of gone, into fresh), the
// others are left as they are.
func attachOnDisk(att attachments, matched map[string]bool, next *diskState, fresh, gone []*Document) ([]*Document, []*Document) {
	isFresh := make(map[*Document]bool, len(fresh))
	for _, d := range fresh {
		isFresh[d] = true
	}
	for i, d := range next.Docs {
		nd := att.apply(d, next.Vocabs[i].Fingerprints, matched)
		if nd == d {
			continue
		}
		next.Docs[i], next.Vocabs[i] = nd, vocabOf(nd.Passages)
		if isFresh[d] {
			fresh[slices.Index(fresh, d)] = nd
		} else {
			gone, fresh = append(gone, d), append(fresh, nd)
		}
	}
	return fresh, gone
}

// checkPassageIDs refuses two passages with one id, as assemble does, before
// anything is written.
func checkPassageIDs(docs []*Document) error {
	seen := map[string]bool{}
	for _, d := range docs {
		for _, p := range d.Passages {
			if seen[p.ID] {
				return fmt.Errorf("document %s: two passages with id %s", d.Slug, p.ID)
			}
			seen[p.ID] = true
		}
	}
	return nil
}

// buildGeneration makes the Bleve folder name in o.Dir: a copy of the
// state's folder with the changes applied, or, with no usable state, a new
// index of every document. On error it leaves nothing behind.
func buildGeneration(o Options, state *diskState, prev *Index, name string, next *diskState, gone, fresh []*Document,
	start time.Time, log *slog.Logger) (bleve.Index, int, error) {
	docs := next.Docs
	vocabs := make(map[*Document]*docVocab, len(docs))
	for i, d := range docs {
		vocabs[d] = next.Vocabs[i]
	}
	path := filepath.Join(o.Dir, name)
	os.RemoveAll(path) // a build that a crash interrupted
	var bi bleve.Index
	if state != nil {
		src, close, err := generationSource(o.Dir, state.Bleve, prev)
		if err == nil {
			err = src.(bleve.IndexCopyable).CopyTo(bleve.FileSystemDirectory(path))
			close()
		}
		if err == nil {
			bi, err = openBleve(path)
		}
		if err != nil {
			log.Warn("Bleve index on disk unreadable: rebuilt", "dir", o.Dir, "err", err)
			os.RemoveAll(path)
			bi, gone, fresh = nil, nil, docs
		}
	} else {
		fresh = docs
	}
	if bi == nil {
		m, err := newMapping()
		if err != nil {
			return nil, 0, err
		}
		if bi, err = bleve.NewUsing(path, m, scorch.Name, scorch.Name, bleveConfig()); err != nil {
			return nil, 0, fmt.Errorf("index %s : %w", o.Dir, err)
		}
	}
	if err := applyChanges(bi, gone, fresh, vocabs, o.Progress, start); err != nil {
		bi.Close()
		os.RemoveAll(path)
		return nil, 0, fmt.Errorf("index %s : %w", o.Dir, err)
	}
	return bi, len(fresh), nil
}

// generationSource is the Bleve index of the state's folder, to copy: the
// one Previous serves, or opened here (close closes it then).
func generationSource(dir, name string, prev *Index) (src bleve.Index, close func(), err error) {
	if prev != nil && prev.bleveName == name && prev.owns.Load() {
		return prev.bleve, func() {}, nil
	}
	bi, err := openBleve(filepath.Join(dir, name))
	if err != nil {
		return nil, nil, err
	}
	return bi, func() { bi.Close() }, nil
}

// retireGenerations removes the Bleve folders of dir other than current;
// the one Previous still serves goes when Previous is closed.
func retireGenerations(dir, current string, prev *Index) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || name == current || (name != bleveDirName && !strings.HasPrefix(name, bleveDirName+"-")) {
			continue
		}
		if prev != nil && prev.bleveName == name && prev.owns.Load() {
			path := filepath.Join(dir, name)
			prev.removeOnClose.Store(&path)
			continue
		}
		os.RemoveAll(filepath.Join(dir, name))
	}
}

// batchPassages is how many passages go to Bleve in one batch: a whole
// corpus in one batch holds every analysed passage in memory at once (2.9
// GB at 114,000 passages); batches of this size keep a build lean.
const batchPassages = 4096

// applyChanges deletes the passages of gone from Bleve and indexes those of
// fresh (whose vocabularies vocabs holds), a batch of batchPassages at a
// time, reporting progress by document.
func applyChanges(bi bleve.Index, gone, fresh []*Document, vocabs map[*Document]*docVocab,
	progress func(Progress), start time.Time) error {
	batch := bi.NewBatch()
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		err := bi.Batch(batch)
		batch.Reset()
		return err
	}
	for _, d := range gone {
		deleteDocument(batch, d)
	}
	if err := flush(); err != nil {
		return err
	}
	indexed := 0
	for n, d := range fresh {
		if err := indexDocument(batch, d, vocabs[d]); err != nil {
			return err
		}
		indexed += len(d.Passages)
		if batch.Size() >= batchPassages {
			if err := flush(); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(Progress{Done: n + 1, Total: len(fresh), Passages: indexed, Elapsed: time.Since(start)})
		}
	}
	return flush()
}

// stamped is loadStamped's result for one file.
type stamped struct {
	stamp fileStamp
	doc   *Document
	vocab *docVocab
	fresh bool
	err   error
}

// loadAll runs loadStamped on every file, on every core: reading, parsing
// and analysing documents are independent of each other. The results are in
// names' order.
func loadAll(fsys fs.FS, names []string, ids map[string]location, state *diskState, old map[string]int) []stamped {
	out := make([]stamped, len(names))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				l := &out[i]
				l.stamp, l.doc, l.vocab, l.fresh, l.err = loadStamped(fsys, names[i], ids[names[i]], state, old)
			}
		}()
	}
	for i := range names {
		work <- i
	}
	close(work)
	wg.Wait()
	return out
}

// loadStamped returns a corpus file's document and vocabulary: from the
// previous state when the file is unchanged (fresh false), else read,
// parsed and analysed.
func loadStamped(fsys fs.FS, name string, at location, state *diskState, old map[string]int) (fileStamp, *Document, *docVocab, bool, error) {
	if err := checkRegular(fsys, name); err != nil {
		return fileStamp{}, nil, nil, false, err
	}
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return fileStamp{}, nil, nil, false, fmt.Errorf("corpus %s : %w", name, err)
	}
	stamp := fileStamp{Name: name, Size: info.Size(), ModTime: info.ModTime().UnixNano()}
	i, known := old[name]
	// A document kept under another id (a clash appeared or went) or
	// another URL is read again.
	known = known && state.Docs[i].Slug == at.id && state.Docs[i].Located == at.url && state.Docs[i].Served == at.contentType
	if known && state.Files[i].Size == stamp.Size && state.Files[i].ModTime == stamp.ModTime {
		stamp.Hash = state.Files[i].Hash
		return stamp, state.Docs[i], state.Vocabs[i], false, nil
	}
	data, err := readFile(fsys, name)
	if err != nil {
		return fileStamp{}, nil, nil, false, err
	}
	sum := sha256.Sum256(data)
	stamp.Hash = hex.EncodeToString(sum[:])
	if known && state.Files[i].Hash == stamp.Hash { // touched, not changed
		return stamp, state.Docs[i], state.Vocabs[i], false, nil
	}
	doc, err := parseDocument(name, at, data)
	if err != nil {
		return fileStamp{}, nil, nil, false, err
	}
	return stamp, doc, vocabOf(doc.Passages), true, nil
}

// extraName is the state's name for an extra document: a NUL first, which
// no file name has.
func extraName(d *Document) string { return "\x00" + d.Slug }

// extraHash fingerprints an extra document's content.
func extraHash(d *Document) string {
	h := sha256.New()
	enc := gob.NewEncoder(h)
	if err := enc.Encode(d); err != nil {
		return "" // never equal to a stored hash: indexed again
	}
	return hex.EncodeToString(h.Sum(nil))
}

// deleteDocument removes a document's passages from a Bleve batch.
func deleteDocument(batch *bleve.Batch, d *Document) {
	for _, p := range d.Passages {
		batch.Delete(p.ID)
	}
}

// bleveConfig is how every Bleve index on disk is opened.
func bleveConfig() map[string]any { return map[string]any{"bolt_timeout": lockWait.String()} }

// openBleve opens the Bleve index in path.
func openBleve(path string) (bleve.Index, error) {
	bi, err := bleve.OpenUsing(path, bleveConfig())
	if err != nil {
		return nil, fmt.Errorf("%s : %w", path, err)
	}
	return bi, nil
}

// readState reads corpus.gob: the gob, then its sha256. A file whose sum
// does not match (torn, damaged) is refused before the decoder sees it: a
// damaged length inside a gob can ask for any amount of memory.
func readState(dir string) (*diskState, error) {
	path := filepath.Join(dir, stateFileName)
	if fi, err := os.Stat(path); err != nil {
		return nil, err
	} else if fi.Size() > maxStateBytes {
		return nil, fmt.Errorf("%s : %d octets, plus que les %d permis", stateFileName, fi.Size(), int64(maxStateBytes))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) < sha256.Size {
		return nil, fmt.Errorf("%s : tronqué", stateFileName)
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(sum, want[:]) {
		return nil, fmt.Errorf("%s : somme de contrôle fausse", stateFileName)
	}
	var s diskState
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(&s); err != nil {
		return nil, fmt.Errorf("%s : %w", stateFileName, err)
	}
	if len(s.Files) != len(s.Docs) || len(s.Docs) != len(s.Vocabs) {
		return nil, fmt.Errorf("%s : %d fichiers, %d documents, %d vocabulaires", stateFileName, len(s.Files), len(s.Docs), len(s.Vocabs))
	}
	for i, d := range s.Docs {
		if d == nil || s.Vocabs[i] == nil {
			return nil, fmt.Errorf("%s : entrée %d vide", stateFileName, i)
		}
	}
	if !strings.HasPrefix(s.Bleve, bleveDirName+"-") || strings.ContainsAny(s.Bleve, `/\`) {
		return nil, fmt.Errorf("%s : dossier Bleve %q", stateFileName, s.Bleve)
	}
	return &s, nil
}

// writeState writes corpus.gob whole or not at all (a temporary file
// renamed over it), after the Bleve batch it describes.
func writeState(dir string, s *diskState) error {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(s); err != nil {
		return fmt.Errorf("index %s : %w", dir, err)
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	tmp, err := os.CreateTemp(dir, stateFileName+".*")
	if err != nil {
		return fmt.Errorf("index %s : %w", dir, err)
	}
	_, werr := tmp.Write(b.Bytes())
	if err := tmp.Sync(); werr == nil {
		werr = err
	}
	if err := tmp.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), filepath.Join(dir, stateFileName))
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("index %s : %w", dir, werr)
	}
	return nil
}
