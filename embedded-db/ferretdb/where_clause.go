// FerretDB file: internal/backends/sqlite/where_clause.go
//
// Added to FerretDB v1.24.2 by live-chat-backend (embedded-db/build.ts) for
// 0003-equality-filters-in-sql.patch. Why: docs/database.md.

package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// prepareWhereClause returns a WHERE clause that every document matching filter satisfies, and its
// arguments. It may also let through documents that do not match: the handler filters every
// document the query returns again.
//
// Pushed down, for `_id` and for fields (top-level, or a dotted path of plain names): equality to,
// or `$in` of, ObjectIDs, booleans and strings. For fields other than `_id` only plain strings
// (printable ASCII without `"`, `\`, `<`, `>`, `&`), which FerretDB's encoder (Go's encoding/json)
// stores unchanged, so the JSON text of an equal value is exactly the argument. A field matches when
// its JSON text is one of the values', or when it or a document on its path is an array (MongoDB
// looks into arrays). For a top-level field both are ranges of the expression FerretDB indexes it
// by, so SQLite can search an index for each; a path through an array it checks row by row, still
// without decoding documents in Go.
func prepareWhereClause(filter *types.Document) (string, []any) {
	keys, values := filter.Keys(), filter.Values()
	seen := make(map[string]int, len(keys))

	for _, key := range keys {
		seen[key]++
	}

	var conditions []string
	var args []any

	for i, key := range keys {
		if seen[key] > 1 {
			continue
		}

		if key == "_id" {
			// As FerretDB did: any string, since the stored `_id` and the argument are both Go's encoding of it.
			if candidates := pushableValues(values[i], true); candidates != nil {
				conditions = append(conditions, fmt.Sprintf(`%s IN (%s)`, metadata.IDColumn, placeholders(len(candidates))))
				args = appendMarshaled(args, candidates)
			}

			continue
		}

		fields := strings.Split(key, ".")
		candidates := pushableValues(values[i], false)

		if candidates == nil || !allPlainFieldNames(fields) {
			continue
		}

		// A value at the path, or an array at the path or on the way to it (MongoDB looks into both).
		column := metadata.DefaultColumn
		alternatives := make([]string, 1, len(fields)+1)

		for _, field := range fields {
			column += fmt.Sprintf("->%q", field)
			alternatives = append(alternatives, fmt.Sprintf(`(%[1]s >= '[' AND %[1]s < '\')`, column))
		}

		alternatives[0] = fmt.Sprintf("%s IN (%s)", column, placeholders(len(candidates)))
		conditions = append(conditions, "("+strings.Join(alternatives, " OR ")+")")
		args = appendMarshaled(args, candidates)
	}

	if len(conditions) == 0 {
		return "", nil
	}

	return " WHERE " + strings.Join(conditions, " AND "), args
}

// pushableValues returns the values a filter condition compares a field with, when they can all be
// put into SQL: the value itself, or the elements of a non-empty `{$in: [...]}`; nil otherwise.
func pushableValues(condition any, anyString bool) []any {
	operators, isDocument := condition.(*types.Document)
	if !isDocument {
		if isPushableValue(condition, anyString) {
			return []any{condition}
		}

		return nil
	}

	if operators.Len() != 1 || operators.Keys()[0] != "$in" {
		return nil
	}

	list, isArray := operators.Values()[0].(*types.Array)
	if !isArray || list.Len() == 0 {
		return nil
	}

	candidates := make([]any, list.Len())

	for i := range candidates {
		candidates[i] = must.NotFail(list.Get(i))
		if !isPushableValue(candidates[i], anyString) {
			return nil
		}
	}

	return candidates
}

// isPushableValue reports whether value is an ObjectID, a boolean or a string (with anyString, or a plain one).
func isPushableValue(value any, anyString bool) bool {
	switch value := value.(type) {
	case types.ObjectID, bool:
		return true
	case string:
		return anyString || isPlainString(value)
	default:
		return false
	}
}

// placeholders returns n comma-separated SQL parameter placeholders.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// appendMarshaled appends each value's JSON text as FerretDB stores it.
func appendMarshaled(args []any, values []any) []any {
	for _, v := range values {
		args = append(args, string(must.NotFail(sjson.MarshalSingleValue(v))))
	}

	return args
}

// allPlainFieldNames reports whether every name is letters, digits and underscores, not starting
// with a digit (so never an array index, an operator or FerretDB's own `$s`).
func allPlainFieldNames(names []string) bool {
	for _, name := range names {
		if name == "" || (name[0] >= '0' && name[0] <= '9') {
			return false
		}

		for _, c := range name {
			if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') {
				return false
			}
		}
	}

	return true
}

// isPlainString reports whether s is printable ASCII that no JSON encoder escapes.
func isPlainString(s string) bool {
	for _, c := range s {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}

	return true
}
