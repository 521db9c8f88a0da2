/**
 * Go source added to FerretDB's SQLite backend (`internal/backends/sqlite/collection.go`): the WHERE
 * clause its queries send to SQLite, in place of one that handled `{_id: value}` alone. Applied by
 * `SOURCE_PATCHES` in ferretdb-binary.ts; why and what it relies on: docs/database.md.
 */
export const PREPARE_WHERE_CLAUSE_GO = `// prepareWhereClause returns a WHERE clause that every document matching filter satisfies, and its
// arguments. It may also let through documents that do not match: the handler filters every
// document the query returns again. (Patched in by live-chat-backend, see its docs/database.md.)
//
// Pushed down: \`_id\` equal to a string or an ObjectID, and fields (top-level or a dotted path of
// plain names) equal to an ObjectID or to a plain string (printable ASCII without \`"\`, \`\\\`, \`<\`, \`>\`,
// \`&\`), which FerretDB's encoder (Go's encoding/json) stores unchanged, so the JSON text of an equal
// value is exactly the argument. Such a field matches when its JSON text is the value's, or when it
// or a document on its path is an array (MongoDB looks into arrays). For a top-level field both are
// ranges of the expression FerretDB indexes it by, so SQLite can search an index for each; a path
// through an array it checks row by row, still without decoding documents in Go.
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
			switch values[i].(type) {
			case string, types.ObjectID:
				conditions = append(conditions, fmt.Sprintf(\`%s = ?\`, metadata.IDColumn))
				args = append(args, string(must.NotFail(sjson.MarshalSingleValue(values[i]))))
			}

			continue
		}

		fields := strings.Split(key, ".")
		if !allPlainFieldNames(fields) {
			continue
		}

		switch value := values[i].(type) {
		case string:
			if !isPlainString(value) {
				continue
			}
		case types.ObjectID:
		default:
			continue
		}

		// The value at the path, or an array at the path or on the way to it (MongoDB looks into both).
		column := metadata.DefaultColumn
		alternatives := make([]string, 1, len(fields)+1)

		for _, field := range fields {
			column += fmt.Sprintf("->%q", field)
			alternatives = append(alternatives, fmt.Sprintf(\`(%[1]s >= '[' AND %[1]s < '\\')\`, column))
		}

		alternatives[0] = column + " = ?"
		conditions = append(conditions, "("+strings.Join(alternatives, " OR ")+")")
		args = append(args, string(must.NotFail(sjson.MarshalSingleValue(values[i]))))
	}

	if len(conditions) == 0 {
		return "", nil
	}

	return " WHERE " + strings.Join(conditions, " AND "), args
}

// allPlainFieldNames reports whether every name is letters, digits and underscores, not starting
// with a digit (so never an array index, an operator or FerretDB's own \`$s\`).
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
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}

	return true
}

`;
