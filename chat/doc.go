// Package chat answers a visitor's turn in a conversation about the corpus.
//
// Engine.Ask takes a question and the context token of the previous answer
// and returns one Answer: small talk, a cited answer extracted from the best
// passages, or an honest "no_answer" with suggestions. Follow-ups ("Et Google
// AI ?", "Quelle offre a-t-il refusée ?") are resolved from the context token,
// a small value the caller keeps, signed with Options.Secret, so any replica
// given the same secret can take the next turn; a token damaged or forged is
// no context.
package chat
