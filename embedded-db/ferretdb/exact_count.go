// FerretDB file: internal/handler/exact_count.go
//
// Added to FerretDB v1.24.2 by live-chat-backend (embedded-db/build.ts) for
// 0004-exact-queries-in-sql.patch. Why: docs/database.md.

package handler

import (
	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/types"
)

// exactCountParams recognizes the pipeline countDocuments sends, `[{$match: filter}, {$group:
// {_id: <constant>, <name>: {$sum: 1}}}]`, so the backend may count in SQL; nil for any other.
func exactCountParams(stages []any) *backends.ExactParams {
	if len(stages) != 2 {
		return nil
	}

	match, ok := stages[0].(*types.Document)
	if !ok || match.Len() != 1 || match.Command() != "$match" {
		return nil
	}

	group, ok := stages[1].(*types.Document)
	if !ok || group.Len() != 1 || group.Command() != "$group" {
		return nil
	}

	spec, ok := group.Values()[0].(*types.Document)
	if !ok || spec.Len() != 2 || spec.Keys()[0] != "_id" {
		return nil
	}

	sum, ok := spec.Values()[1].(*types.Document)
	if !ok || sum.Len() != 1 || sum.Command() != "$sum" || sum.Values()[0] != int32(1) {
		return nil
	}

	switch id := spec.Values()[0].(type) {
	case *types.Document, *types.Array:
		return nil
	case string:
		if len(id) > 0 && id[0] == '$' {
			return nil
		}
	}

	return &backends.ExactParams{Count: true, GroupID: spec.Values()[0], CountField: spec.Keys()[1]}
}
