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
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// The index kept on disk (Options.Dir): Bleve's own folder, and beside it
// the state that makes a start on an unchanged corpus analyse nothing.
const (
	bleveDirName  = "bleve"
	stateFileName = "corpus.gob"
	// diskFormat names the layout and everything that shapes what is
	// stored: the analyzer, the passage cut, the fields. Change it with any
	// of them and every index on disk is rebuilt, never trusted.
	diskFormat = "causette-index 1 (" + AnalyzerName + " 1, fields 1, vocabulary 2)"
	// lockWait is how long to wait for an index another process holds
	// (Bleve locks its root.bolt and would wait for ever).
	lockWait = time.Second
)

// diskState is what corpus.gob holds.
type diskState struct {
	Format string
	// Lexicons hashes the synonyms and the glossary, embedded and the
	// corpus's own: a change rebuilds every document.
	Lexicons string
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
// changed ones are parsed and re-indexed, removed ones deleted. A folder
// that is not such an index, or is damaged, is rebuilt with a warning.
func openOnDisk(o Options, fsys fs.FS, names []string, syn [][]string, lexHash string) (*Index, error) {
	start := time.Now()
	log := o.Logger
	if log == nil {
		log = slog.Default()
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
	var bi bleve.Index
	prev := o.Previous
	if prev != nil && prev.dir == o.Dir && state != nil && prev.owns.Load() {
		bi = prev.bleve // the process holds it already: update it in place
	} else {
		prev = nil
		bi, err = openBleve(o.Dir, state == nil)
	}
	if errors.Is(err, ErrLocked) {
		return nil, err
	}
	if err != nil && state != nil {
		log.Warn("Bleve index on disk unreadable: rebuilt", "dir", o.Dir, "err", err)
		state = nil
		bi, err = openBleve(o.Dir, true)
	}
	if err != nil {
		return nil, err
	}
	old := map[string]int{}
	if state != nil {
		for i, f := range state.Files {
			old[f.Name] = i
		}
	}
	// closeBleve gives up on this open; an index handed by Previous stays
	// with it.
	closeBleve := func() {
		if prev == nil {
			bi.Close()
		}
	}
	// First every file is read (or taken from the state) and the corpus
	// checked whole; only then does Bleve change, so a corpus that cannot
	// be served leaves the index as it was.
	next := &diskState{Format: diskFormat, Lexicons: lexHash}
	var gone, fresh []*Document
	loaded := loadAll(fsys, names, state, old)
	for n, name := range names {
		l := loaded[n]
		stamp, doc, vocab, isFresh, err := l.stamp, l.doc, l.vocab, l.fresh, l.err
		if err != nil {
			closeBleve()
			return nil, err
		}
		if isFresh {
			if i, ok := old[name]; ok {
				gone = append(gone, state.Docs[i])
			}
			fresh = append(fresh, doc)
		}
		delete(old, name)
		next.Files = append(next.Files, stamp)
		next.Docs = append(next.Docs, doc)
		next.Vocabs = append(next.Vocabs, vocab)
	}
	removed := 0
	for _, i := range old { // files gone from the corpus
		gone = append(gone, state.Docs[i])
		removed++
	}
	changed := len(fresh) + removed
	if err := checkSlugs(names, next.Docs); err != nil {
		closeBleve()
		return nil, err
	}
	ix, err := assemble(bi, next.Docs, next.Vocabs, syn)
	if err != nil {
		closeBleve()
		return nil, err
	}
	if err := applyChanges(bi, gone, fresh, o.Progress, start); err != nil {
		// Bleve is half changed: the state no longer describes it, so the
		// next open rebuilds.
		os.Remove(filepath.Join(o.Dir, stateFileName))
		closeBleve()
		return nil, fmt.Errorf("index %s : %w", o.Dir, err)
	}
	if changed > 0 || state == nil {
		if err := writeState(o.Dir, next); err != nil {
			closeBleve()
			return nil, err
		}
	}
	ix.dir = o.Dir
	if prev != nil {
		prev.owns.Store(false) // the new index closes Bleve from now on
	}
	ix.stats.Changed = changed
	ix.stats.BuildTime = time.Since(start)
	return ix, nil
}

// batchPassages is how many passages go to Bleve in one batch: a whole
// corpus in one batch holds every analysed passage in memory at once (2.9
// GB at 114,000 passages); batches of this size keep a build lean.
const batchPassages = 4096

// applyChanges deletes the passages of gone from Bleve and indexes those of
// fresh, a batch of batchPassages at a time, reporting progress by document.
func applyChanges(bi bleve.Index, gone, fresh []*Document, progress func(Progress), start time.Time) error {
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
		if err := indexDocument(batch, d); err != nil {
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
func loadAll(fsys fs.FS, names []string, state *diskState, old map[string]int) []stamped {
	out := make([]stamped, len(names))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				l := &out[i]
				l.stamp, l.doc, l.vocab, l.fresh, l.err = loadStamped(fsys, names[i], state, old)
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
func loadStamped(fsys fs.FS, name string, state *diskState, old map[string]int) (fileStamp, *Document, *docVocab, bool, error) {
	if err := checkRegular(fsys, name); err != nil {
		return fileStamp{}, nil, nil, false, err
	}
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return fileStamp{}, nil, nil, false, fmt.Errorf("corpus %s : %w", name, err)
	}
	stamp := fileStamp{Name: name, Size: info.Size(), ModTime: info.ModTime().UnixNano()}
	i, known := old[name]
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
	doc, err := parseFile(name, data)
	if err != nil {
		return fileStamp{}, nil, nil, false, err
	}
	return stamp, doc, vocabOf(doc.Passages), true, nil
}

// deleteDocument removes a document's passages from a Bleve batch.
func deleteDocument(batch *bleve.Batch, d *Document) {
	for _, p := range d.Passages {
		batch.Delete(p.ID)
	}
}

// openBleve opens the Bleve index in dir, or makes a new one when fresh
// (removing what was there). Another process holding it is ErrLocked.
func openBleve(dir string, fresh bool) (bleve.Index, error) {
	path := filepath.Join(dir, bleveDirName)
	config := map[string]any{"bolt_timeout": lockWait.String()}
	if !fresh {
		bi, err := bleve.OpenUsing(path, config)
		if err != nil && isTimeout(err) {
			return nil, fmt.Errorf("index %s : %w (causette serve ?) : attendez qu'il s'arrête, ou donnez un autre --index", dir, ErrLocked)
		}
		return bi, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("index %s : %w", dir, err)
	}
	if err := os.RemoveAll(path); err != nil {
		return nil, fmt.Errorf("index %s : %w", dir, err)
	}
	os.Remove(filepath.Join(dir, stateFileName))
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	bi, err := bleve.NewUsing(path, m, scorch.Name, scorch.Name, config)
	if err != nil {
		if isTimeout(err) {
			return nil, fmt.Errorf("index %s : %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("index %s : %w", dir, err)
	}
	return bi, nil
}

// isTimeout reports whether err is bolt's lock timeout.
func isTimeout(err error) bool {
	return err != nil && bytes.Contains([]byte(err.Error()), []byte("timeout"))
}

// readState reads corpus.gob.
func readState(dir string) (*diskState, error) {
	data, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		return nil, err
	}
	var s diskState
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil {
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
	return &s, nil
}

// writeState writes corpus.gob whole or not at all (a temporary file
// renamed over it), after the Bleve batch it describes.
func writeState(dir string, s *diskState) error {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(s); err != nil {
		return fmt.Errorf("index %s : %w", dir, err)
	}
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
