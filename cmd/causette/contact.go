package main

import (
	"flag"
	"os"
	"strings"

	"github.com/causette/causette/web"
)

// webhookSecretEnv names the environment variable holding the webhook's
// secret, so that it stays out of the process list.
const webhookSecretEnv = "CAUSETTE_WEBHOOK_SECRET"

// contactOptions are the flags of `causette serve` for the built-in
// contact form and its webhook.
type contactOptions struct {
	form    *bool
	webhook *string
	secret  *string
}

// contactFlags adds --contact-form, --contact-webhook and
// --contact-webhook-secret to serve's flags.
func contactFlags(fs *flag.FlagSet) *contactOptions {
	return &contactOptions{
		form: fs.Bool("contact-form", false, "formulaire « Contacter l’équipe » intégré : les messages arrivent dans la console (vue Demandes)"),
		webhook: fs.String("contact-webhook", "", "adresse http(s) où envoyer chaque nouvelle demande en JSON signé (outil de tickets), "+
			"avec --contact-form"),
		secret: fs.String("contact-webhook-secret", "", "secret de la signature HMAC-SHA256 du webhook (défaut : $"+webhookSecretEnv+")"),
	}
}

// apply sets the form and the webhook on the console's configuration;
// consoleURL is the console's address, sent with each request. The
// webhook's address and secret are checked by web.NewStaff.
func (o *contactOptions) apply(sc *web.StaffConfig, consoleURL string) {
	if o == nil {
		return
	}
	sc.ContactForm = *o.form
	if *o.webhook == "" {
		return
	}
	secret := *o.secret
	if secret == "" {
		secret = os.Getenv(webhookSecretEnv)
	}
	sc.Webhook = &web.WebhookConfig{URL: *o.webhook, Secret: strings.TrimSpace(secret), ConsoleURL: consoleURL}
}
