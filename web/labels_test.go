package web

import (
	"strings"
	"testing"
)

func TestLabelsComplete(t *testing.T) {
	fr := labels["fr"]
	for lang, l := range labels {
		for key := range fr {
			if strings.TrimSpace(l[key]) == "" {
				t.Errorf("labels[%q][%q] = %q; want the %s words for it", lang, key, l[key], lang)
			}
		}
		for key := range l {
			if _, ok := fr[key]; !ok {
				t.Errorf("labels[%q] has %q; French has no such label", lang, key)
			}
		}
	}
}

func TestEmbedLanguage(t *testing.T) {
	ts := widgetServer(t)
	tests := []struct {
		lang, want, notWant string
	}{
		{"en", `>Send</button>`, `>Envoyer</button>`},
		{"fr", `>Envoyer</button>`, `>Send</button>`},
		{"de", `>Envoyer</button>`, `>Send</button>`},
	}
	for _, tt := range tests {
		_, body := widgetGet(t, ts.URL+"/embed?origin="+ts.URL+"&lang="+tt.lang)
		if !strings.Contains(body, tt.want) || strings.Contains(body, tt.notWant) {
			t.Errorf("/embed?lang=%s: page lacks %q or holds %q", tt.lang, tt.want, tt.notWant)
		}
		if !strings.Contains(body, `data-embed="true"`) || !strings.Contains(body, `src="`+assetURL(t, staticAssets, "app.js")+`"`) {
			t.Errorf("/embed?lang=%s: not the chat page in embed mode", tt.lang)
		}
	}
	_, page := widgetGet(t, ts.URL+"/")
	if strings.Contains(page, "data-embed") || strings.Contains(page, `id="close"`) {
		t.Errorf("/ is in embed mode; want the full chat page")
	}
}
