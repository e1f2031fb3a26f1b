package index

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockFileName is the file of an index folder that one process at a time
// holds (flock): the Bleve generations and the state are that process's.
const lockFileName = "lock"

// lockPoll is how often a held lock is tried again within lockWait.
const lockPoll = 50 * time.Millisecond

// dirLock is an index folder held by this process.
type dirLock struct{ f *os.File }

// lockDir takes dir's lock, waiting lockWait at most; another process
// holding it is ErrLocked.
func lockDir(dir string) (*dirLock, error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFileName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("index %s : %w", dir, err)
	}
	deadline := time.Now().Add(lockWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return &dirLock{f: f}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, fmt.Errorf("index %s : %w (causette serve ?) : attendez qu'il s'arrête, ou donnez un autre --index", dir, ErrLocked)
			}
			return nil, fmt.Errorf("index %s : %w", dir, err)
		}
		time.Sleep(lockPoll)
	}
}

// release lets another process have the folder.
func (l *dirLock) release() {
	if l != nil && l.f != nil {
		syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
		l.f.Close()
	}
}
