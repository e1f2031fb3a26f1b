package web

import (
	"testing"
	"time"
)

func TestLimitsWithDefaults(t *testing.T) {
	if got, want := (Limits{}).withDefaults(), DefaultLimits(); got != want {
		t.Errorf("zero Limits with defaults = %+v; want %+v", got, want)
	}
	negative := Limits{MaxConns: -1, MaxConnsPerIP: -1, RateBurst: -1, RatePerSecond: -1, ReadLimit: -1, SendBuffer: -1,
		WriteWait: -1, PongWait: -1, ShutdownWait: -1, MaxBody: -1, APIRatePerSecond: -1, APIRateBurst: -1, MaxConnsPerAddr: -1}
	if got, want := negative.withDefaults(), DefaultLimits(); got != want {
		t.Errorf("negative Limits with defaults = %+v; want %+v", got, want)
	}
	set := Limits{MaxConns: 7, MaxConnsPerIP: 3, RateBurst: 2, RatePerSecond: 0.5, ReadLimit: 100, SendBuffer: 4,
		WriteWait: time.Second, PongWait: 2 * time.Second, ShutdownWait: 3 * time.Second, MaxBody: 200,
		APIRatePerSecond: 1.5, APIRateBurst: 9, MaxConnsPerAddr: 11}
	if got := set.withDefaults(); got != set {
		t.Errorf("positive Limits with defaults = %+v; want them kept, %+v", got, set)
	}
}
