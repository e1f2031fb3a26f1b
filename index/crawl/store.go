package crawl

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/causette/causette/index"
)

// maxManifestBytes bounds the manifest read, as the index does.
const maxManifestBytes = 16 << 20

// readManifest reads the manifest in root; an empty one when there is
// none.
func readManifest(root *os.Root) (index.Manifest, error) {
	var m index.Manifest
	f, err := root.Open(index.ManifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxManifestBytes+1))
	if err != nil {
		return m, err
	}
	if len(data) > maxManifestBytes {
		return m, fmt.Errorf("plus de %d Mio : supprimez-le pour tout recopier", maxManifestBytes>>20)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("manifeste illisible (%w) : supprimez-le pour tout recopier", err)
	}
	return m, nil
}

// removeGone removes the previous crawl's pages that are gone: found gone,
// or not reached by a crawl that reached everything.
func (c *crawler) removeGone() {
	urls := make([]string, 0, len(c.old))
	for u := range c.old {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	for _, u := range urls {
		p := c.old[u]
		if _, kept := c.pages[u]; kept {
			continue
		}
		if c.incomplete && !c.gone[u] && c.files[p.File] == "" {
			c.pages[u], c.files[p.File] = p, u
			continue
		}
		if c.files[p.File] == "" {
			c.remove(p.File)
		}
		c.rep.Removed = append(c.rep.Removed, p.File)
	}
}

// writeManifest writes the pages kept, sorted by file.
func (c *crawler) writeManifest(starts []*url.URL) error {
	m := index.Manifest{Version: 1, Pages: make([]index.Page, 0, len(c.pages))}
	for _, u := range starts {
		m.Start = append(m.Start, u.String())
	}
	for _, p := range c.pages {
		m.Pages = append(m.Pages, p)
	}
	slices.SortFunc(m.Pages, func(a, b index.Page) int { return strings.Compare(a.File, b.File) })
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("crawl : %s : %w", index.ManifestFile, err)
	}
	if err := writeAtomic(c.root, index.ManifestFile, append(data, '\n')); err != nil {
		return fmt.Errorf("crawl : %s : %w", index.ManifestFile, err)
	}
	return nil
}

// holds reports whether the file name already holds data.
func (c *crawler) holds(name string, data []byte) bool {
	old, err := readBounded(c.root, name)
	return err == nil && bytes.Equal(old, data)
}

// remove deletes a file, and the folders it leaves empty.
func (c *crawler) remove(name string) {
	if err := c.root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		c.notef("%s : %v", name, err)
		return
	}
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if c.root.Remove(dir) != nil {
			break
		}
	}
}

// writeAtomic writes data to name under root, 0644, through a temporary
// file renamed over it: a reader never sees half a page.
func writeAtomic(root *os.Root, name string, data []byte) error {
	dir := path.Dir(name)
	if dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp := path.Join(dir, ".causette-"+rand.Text()+".tmp")
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	err = errors.Join(err, f.Chmod(0o644), f.Close())
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
	}
	return err
}

// readBounded reads a file under root, up to maxBodyBytes.
func readBounded(root *os.Root, name string) ([]byte, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxBodyBytes+1))
	if err == nil && len(data) > maxBodyBytes {
		err = fmt.Errorf("plus de %d Mio", maxBodyBytes>>20)
	}
	return data, err
}
