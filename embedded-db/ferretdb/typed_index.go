// FerretDB file: internal/backends/sqlite/metadata/typed_index.go
//
// Added to FerretDB v1.24.2 by live-chat-backend (embedded-db/build.ts) for
// 0004-exact-queries-in-sql.patch. Why: docs/database.md.

package metadata

import (
	"fmt"
	"strings"
)

// TypeColumn is the sjson type name (`string`, `date`, `objectId`, ...) of a top-level field, from
// the document's schema (SQL NULL when the document lacks the field).
func TypeColumn(field string) string {
	return fmt.Sprintf(`%s->>'$."$s".p.%s.t'`, DefaultColumn, field)
}

// ScalarColumn is a top-level field's value as SQLite sees it: a string's text unescaped, a
// date's or a number's value as a number, a boolean as 1 or 0, an ObjectID's hex.
func ScalarColumn(field string) string {
	return fmt.Sprintf(`%s->>'$.%s'`, DefaultColumn, field)
}

// TypedIndexName is the name of the second SQLite index FerretDB creates for a non-unique index
// of top-level fields: (type, scalar value) per field, so a condition on a field's type and value
// is an index search. Unique indexes get none: most serve lookups by value, which need no type.
func TypedIndexName(tableName, indexName string) string {
	return tableName + "_" + indexName + "_typed"
}

// typedIndexColumns returns that index's columns, or "" when the index does not get one.
func typedIndexColumns(index IndexInfo) string {
	if index.Unique {
		return ""
	}

	columns := make([]string, len(index.Key))

	for i, key := range index.Key {
		if !IsPlainFieldName(key.Field) {
			return ""
		}

		columns[i] = TypeColumn(key.Field) + ", " + ScalarColumn(key.Field)
		if key.Descending {
			columns[i] += " DESC"
		}
	}

	return strings.Join(columns, ", ")
}

// IsTyped reports whether the index has a typed sibling.
func (index IndexInfo) IsTyped() bool {
	return typedIndexColumns(index) != ""
}

// IsPlainFieldName reports whether name is letters, digits and underscores, not starting with a digit.
func IsPlainFieldName(name string) bool {
	if name == "" || (name[0] >= '0' && name[0] <= '9') {
		return false
	}

	for _, c := range name {
		if c != '_' && !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') {
			return false
		}
	}

	return true
}
