// FerretDB file: internal/backends/sqlite/exact_query.go
//
// Added to FerretDB v1.24.2 by live-chat-backend (embedded-db/build.ts) for
// 0004-exact-queries-in-sql.patch. Why and what it relies on: docs/database.md.

package sqlite

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/FerretDB/FerretDB/internal/backends"
	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/iterator"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// exactSet is SQL that selects exactly the rows whose documents MongoDB's filter matches: one
// WHERE clause per branch of the filter's `$or` (one when it has none), and the date range of
// each field the filter bounds at its top level.
type exactSet struct {
	table    string
	branches []exactBranch
	ranges   map[string]dateRange
}

type exactBranch struct {
	clause string
	args   []any
}

// dateRange is a top-level `{$gte/$gt/$lte/$lt: date}`: its bounds in milliseconds, and where
// they are in every branch's arguments (so that a query can narrow them).
type dateRange struct {
	lower, upper int64
	position     int
}

// exactBuilder translates a filter into an exactSet, or gives up.
//
// The grammar: top-level fields (plain names) that lead a typed index (metadata.TypedIndexName)
// and hold no array in any document; each compared by equality to (or `$in` of) strings,
// ObjectIDs or booleans, equality to null, an anchored `$regex` of literal text without
// options, or a range of dates; and one top-level `$or` of such filters. Each condition is on the
// field's type and scalar value, both columns of the typed index, so SQLite answers from the
// index, and a string never matches an ObjectID of the same hex, nor a number a date.
type exactBuilder struct {
	ctx     context.Context
	db      *fsql.DB
	table   string
	typed   map[string]bool
	checked map[string]bool
}

func newExactBuilder(ctx context.Context, db *fsql.DB, meta *metadata.Collection) *exactBuilder {
	typed := map[string]bool{}

	for _, index := range meta.Settings.Indexes {
		if index.IsTyped() {
			typed[index.Key[0].Field] = true
		}
	}

	return &exactBuilder{ctx: ctx, db: db, table: meta.TableName, typed: typed, checked: map[string]bool{}}
}

// anyRow reports whether a row meets the condition (an index search: the field leads a typed index).
func (b *exactBuilder) anyRow(condition string) (bool, error) {
	found, err := queryInts(b.ctx, b.db, fmt.Sprintf(`SELECT 1 FROM %q WHERE %s LIMIT 1`, b.table, condition))

	return len(found) > 0, err
}

// usable reports whether conditions on field can be exact: it leads a typed index and no document holds an array there.
func (b *exactBuilder) usable(field string) (bool, error) {
	if ok, done := b.checked[field]; done {
		return ok, nil
	}

	ok := b.typed[field]
	if ok {
		hasArray, err := b.anyRow(metadata.TypeColumn(field) + " = 'array'")
		if err != nil {
			return false, err
		}

		ok = !hasArray
	}

	b.checked[field] = ok

	return ok, nil
}

// set returns the exactSet of filter; ok is false when the filter is outside the grammar.
func (b *exactBuilder) set(filter *types.Document) (*exactSet, bool, error) {
	s := &exactSet{table: b.table, ranges: map[string]dateRange{}}

	var common []string
	var commonArgs []any
	var or *types.Array

	keys, values := filter.Keys(), filter.Values()

	for i, key := range keys {
		if slices.Contains(keys[:i], key) {
			return nil, false, nil
		}

		if key == "$or" {
			var isArray bool
			if or, isArray = values[i].(*types.Array); !isArray || or.Len() == 0 {
				return nil, false, nil
			}

			continue
		}

		condition, args, r, ok, err := b.field(key, values[i])
		if !ok || err != nil {
			return nil, false, err
		}

		if r != nil {
			r.position = len(commonArgs)
			s.ranges[key] = *r
		}

		common = append(common, condition)
		commonArgs = append(commonArgs, args...)
	}

	if or == nil {
		s.branches = []exactBranch{{clause: strings.Join(common, " AND "), args: commonArgs}}
		return s, true, nil
	}

	for i := 0; i < or.Len(); i++ {
		branch, isDocument := must.NotFail(or.Get(i)).(*types.Document)
		if !isDocument || branch.Len() == 0 {
			return nil, false, nil
		}

		conditions := slices.Clone(common)
		args := slices.Clone(commonArgs)

		for j, key := range branch.Keys() {
			if key == "$or" || slices.Contains(branch.Keys()[:j], key) {
				return nil, false, nil
			}

			condition, fieldArgs, _, ok, err := b.field(key, branch.Values()[j])
			if !ok || err != nil {
				return nil, false, err
			}

			conditions = append(conditions, condition)
			args = append(args, fieldArgs...)
		}

		s.branches = append(s.branches, exactBranch{clause: strings.Join(conditions, " AND "), args: args})
	}

	return s, true, nil
}

// scalar returns the sjson type name of a value the grammar compares by equality, and the value as SQLite sees it.
func scalar(value any) (string, any, bool) {
	switch value := value.(type) {
	case string:
		return "string", value, true
	case types.ObjectID:
		return "objectId", fmt.Sprintf("%x", value[:]), true
	case bool:
		if value {
			return "bool", int64(1), true
		}

		return "bool", int64(0), true
	default:
		return "", nil, false
	}
}

// field returns the exact condition for one top-level field, and its date range if it is one.
func (b *exactBuilder) field(key string, condition any) (string, []any, *dateRange, bool, error) {
	if ok, err := b.usable(key); !ok || err != nil {
		return "", nil, nil, false, err
	}

	typ, value := metadata.TypeColumn(key), metadata.ScalarColumn(key)

	if _, isNull := condition.(types.NullType); isNull {
		// null or missing; the second costs an OR (no index order) only when a document lacks the field.
		missing, err := b.anyRow(typ + " IS NULL")
		if err != nil {
			return "", nil, nil, false, err
		}

		if !missing {
			return fmt.Sprintf("%s = 'null' AND %s IS NULL", typ, value), nil, nil, true, nil
		}

		return fmt.Sprintf("(%[1]s IS NULL OR %[1]s = 'null') AND %[2]s IS NULL", typ, value), nil, nil, true, nil
	}

	if kind, v, ok := scalar(condition); ok {
		return fmt.Sprintf("%s = '%s' AND %s = ?", typ, kind, value), []any{v}, nil, true, nil
	}

	if regex, isRegex := condition.(types.Regex); isRegex {
		if regex.Options != "" {
			return "", nil, nil, false, nil
		}

		return prefixCondition(typ, value, regex.Pattern)
	}

	operators, isDocument := condition.(*types.Document)
	if !isDocument || operators.Len() == 0 {
		return "", nil, nil, false, nil
	}

	if pattern, found := operators.Map()["$regex"]; found {
		options, _ := operators.Get("$options")
		if text, isString := pattern.(string); isString && (operators.Len() == 1 || (operators.Len() == 2 && options == "")) {
			return prefixCondition(typ, value, text)
		}

		return "", nil, nil, false, nil
	}

	if operators.Len() == 1 && operators.Keys()[0] == "$in" {
		list, isArray := operators.Values()[0].(*types.Array)
		if !isArray || list.Len() == 0 {
			return "", nil, nil, false, nil
		}

		var kind string
		values := make([]any, list.Len())

		for i := range values {
			k, v, ok := scalar(must.NotFail(list.Get(i)))
			if !ok || (kind != "" && k != kind) {
				return "", nil, nil, false, nil
			}

			kind, values[i] = k, v
		}

		return fmt.Sprintf("%s = '%s' AND %s IN (%s)", typ, kind, value, placeholders(len(values))), values, nil, true, nil
	}

	return dateRangeCondition(typ, value, operators)
}

// literalPrefix matches an anchored pattern of literal text: no metacharacter but escaped ones.
var literalPrefix = regexp.MustCompile(`^\^(?:[^.*+?^${}()|\[\]\\]|\\[.*+?^${}()|\[\]\\/-])+$`)

// prefixCondition: strings starting with the text are those from the text up to the text with its last byte incremented.
func prefixCondition(typ, value, pattern string) (string, []any, *dateRange, bool, error) {
	if !literalPrefix.MatchString(pattern) {
		return "", nil, nil, false, nil
	}

	var text []byte

	for i := 1; i < len(pattern); i++ {
		if pattern[i] == '\\' {
			i++
		}

		text = append(text, pattern[i])
	}

	upper := slices.Clone(text)
	upper[len(upper)-1]++

	return fmt.Sprintf("%s = 'string' AND %[2]s >= ? AND %[2]s < ?", typ, value), []any{string(text), string(upper)}, nil, true, nil
}

// dateRangeCondition handles `{$gte|$gt: date, $lt|$lte: date}` (one bound or both).
func dateRangeCondition(typ, value string, operators *types.Document) (string, []any, *dateRange, bool, error) {
	r := dateRange{lower: math.MinInt64, upper: math.MaxInt64}

	for _, op := range operators.Keys() {
		date, isDate := must.NotFail(operators.Get(op)).(time.Time)
		if !isDate {
			return "", nil, nil, false, nil
		}

		millis := date.UnixMilli()

		switch op {
		case "$gte":
			r.lower = max(r.lower, millis)
		case "$gt":
			r.lower = max(r.lower, millis+1)
		case "$lte":
			r.upper = min(r.upper, millis)
		case "$lt":
			r.upper = min(r.upper, millis-1)
		default:
			return "", nil, nil, false, nil
		}
	}

	return fmt.Sprintf("%s = 'date' AND %[2]s >= ? AND %[2]s <= ?", typ, value), []any{r.lower, r.upper}, &r, true, nil
}

// rowids returns SQL selecting the rowid of every matching row once, with the range of field (if
// any) narrowed to [lower, upper].
func (s *exactSet) rowids(field string, lower, upper int64) (string, []any) {
	var parts []string
	var args []any

	for _, branch := range s.branches {
		branchArgs := slices.Clone(branch.args)

		if r, ok := s.ranges[field]; ok {
			branchArgs[r.position], branchArgs[r.position+1] = max(r.lower, lower), min(r.upper, upper)
		}

		parts = append(parts, fmt.Sprintf("SELECT rowid FROM %q%s", s.table, where(branch.clause)))
		args = append(args, branchArgs...)
	}

	return strings.Join(parts, " UNION "), args
}

func where(clause string) string {
	if clause == "" {
		return ""
	}

	return " WHERE " + clause
}

// exactOrder returns the sort's leading field and direction when SQL can order by it exactly:
// `{f: ±1}` or `{f: ±1, _id: ±1}` with f bounded to dates by the filter. Ties on f are left to
// the handler, which sorts what it gets.
func exactOrder(sort *types.Document, s *exactSet) (string, bool, bool) {
	keys := sort.Keys()
	if len(keys) == 0 || len(keys) > 2 || (len(keys) == 2 && keys[1] != "_id") {
		return "", false, false
	}

	if _, ok := s.ranges[keys[0]]; !ok {
		return "", false, false
	}

	return keys[0], must.NotFail(sort.Get(keys[0])).(int64) == -1, true
}

// boundsQueries returns the queries that find the sort field's values at positions skip and
// skip+limit-1: for one branch the rowids there (read from the index alone); for several, each
// branch's first skip+limit rowids and values, merged by the caller. A branch either walks the
// sort's index, checking each row, or, when it matches few rows (fewer than the walk would read,
// about (skip+limit) × rows ÷ matches), takes them from its own index and sorts them.
func boundsQueries(ctx context.Context, db *fsql.DB, s *exactSet, field string, descending bool, skip, limit int64) ([]string, [][]any, error) {
	value, direction := metadata.ScalarColumn(field), ""
	if descending {
		direction = " DESC"
	}

	if len(s.branches) == 1 {
		branch := s.branches[0]
		q := fmt.Sprintf("SELECT rowid FROM %q%s ORDER BY %s%s LIMIT ? OFFSET ?", s.table, where(branch.clause), value, direction)

		return []string{q}, [][]any{append(slices.Clone(branch.args), limit, skip)}, nil
	}

	rows, err := queryInts(ctx, db, fmt.Sprintf("SELECT coalesce(max(rowid), 0) FROM %q", s.table))
	if err != nil {
		return nil, nil, err
	}

	var queries []string
	var args [][]any

	for _, branch := range s.branches {
		matches, err := queryInts(ctx, db, fmt.Sprintf("SELECT count(*) FROM %q%s", s.table, where(branch.clause)), branch.args...)
		if err != nil {
			return nil, nil, err
		}

		order := value
		if matches[0]*matches[0] <= (skip+limit)*rows[0] {
			order = "+" + value // not from the sort's index
		}

		queries = append(queries, fmt.Sprintf("SELECT rowid, %s FROM %q%s ORDER BY %s%s LIMIT ?", value, s.table, where(branch.clause), order, direction))
		args = append(args, append(slices.Clone(branch.args), skip+limit))
	}

	return queries, args, nil
}

// exactBounds returns the sort field's values at positions skip and skip+limit-1 (fewer when the
// set ends before); ok is false when there is no row at skip.
func exactBounds(ctx context.Context, db *fsql.DB, s *exactSet, field string, descending bool, skip, limit int64) (int64, int64, bool, error) {
	queries, args, err := boundsQueries(ctx, db, s, field, descending, skip, limit)
	if err != nil {
		return 0, 0, false, err
	}

	if len(queries) == 1 {
		rowids, err := queryInts(ctx, db, queries[0], args[0]...)
		if err != nil || len(rowids) == 0 {
			return 0, 0, false, err
		}

		q := fmt.Sprintf("SELECT %s FROM %q WHERE rowid = ?", metadata.ScalarColumn(field), s.table)

		first, err := queryInts(ctx, db, q, rowids[0])
		if err != nil {
			return 0, 0, false, err
		}

		last, err := queryInts(ctx, db, q, rowids[len(rowids)-1])
		if err != nil {
			return 0, 0, false, err
		}

		return first[0], last[0], true, nil
	}

	values := map[int64]int64{}

	for i, q := range queries {
		rows, err := db.QueryContext(ctx, q, args[i]...)
		if err != nil {
			return 0, 0, false, lazyerrors.Error(err)
		}

		for rows.Next() {
			var rowid, v int64
			if err = rows.Scan(&rowid, &v); err != nil {
				rows.Close()
				return 0, 0, false, lazyerrors.Error(err)
			}

			values[rowid] = v
		}

		err = rows.Err()
		rows.Close()

		if err != nil {
			return 0, 0, false, lazyerrors.Error(err)
		}
	}

	merged := make([]int64, 0, len(values))
	for _, v := range values {
		merged = append(merged, v)
	}

	slices.Sort(merged)

	if descending {
		slices.Reverse(merged)
	}

	if int64(len(merged)) <= skip {
		return 0, 0, false, nil
	}

	end := min(int64(len(merged)), skip+limit) - 1

	return merged[skip], merged[end], true, nil
}

// exactWindow answers a sorted, skipped and limited find with few rows: the rows from the one at
// `skip` to the one at `skip+limit-1` in the sort's leading field, with every row tied with
// those two (the handler's own sort puts them in MongoDB's order), and how many matching rows
// come before them. handled is false when the query is outside what it can decide exactly.
func (c *collection) exactWindow(ctx context.Context, db *fsql.DB, meta *metadata.Collection, params *backends.QueryParams) (*backends.QueryResult, bool, error) {
	exact := params.Exact
	if exact == nil || exact.Limit <= 0 || exact.Sort.Len() == 0 || params.OnlyRecordIDs || meta.Capped() {
		return nil, false, nil
	}

	s, ok, err := newExactBuilder(ctx, db, meta).set(params.Filter)
	if !ok || err != nil {
		return nil, false, err
	}

	field, descending, ok := exactOrder(exact.Sort, s)
	if !ok {
		return nil, false, nil
	}

	first, last, found, err := exactBounds(ctx, db, s, field, descending, exact.Skip, exact.Limit)
	if err != nil {
		return nil, false, err
	}

	if !found {
		return &backends.QueryResult{Iter: newQueryIterator(ctx, nil, false), Skipped: exact.Skip}, true, nil
	}

	low, high, before := last, first, [2]int64{first + 1, math.MaxInt64}
	if !descending {
		low, high, before = first, last, [2]int64{math.MinInt64, first - 1}
	}

	rowids, args := s.rowids(field, before[0], before[1])

	counts, err := queryInts(ctx, db, fmt.Sprintf("SELECT count(*) FROM (%s)", rowids), args...)
	if err != nil {
		return nil, false, err
	}

	rowids, args = s.rowids(field, low, high)
	q := prepareSelectClause(meta.TableName, params.Comment, false, false) + fmt.Sprintf(" WHERE rowid IN (%s)", rowids)

	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, lazyerrors.Error(err)
	}

	return &backends.QueryResult{Iter: newQueryIterator(ctx, rows, false), Skipped: counts[0]}, true, nil
}

// exactCount counts the matching documents and returns the count as `$group` would: `{_id: <id>, <out>: n}`.
func (c *collection) exactCount(ctx context.Context, db *fsql.DB, meta *metadata.Collection, params *backends.QueryParams) (*backends.QueryResult, bool, error) {
	exact := params.Exact
	if exact == nil || !exact.Count || params.OnlyRecordIDs {
		return nil, false, nil
	}

	s, ok, err := newExactBuilder(ctx, db, meta).set(params.Filter)
	if !ok || err != nil {
		return nil, false, err
	}

	rowids, args := s.rowids("", 0, 0)

	counts, err := queryInts(ctx, db, fmt.Sprintf("SELECT count(*) FROM (%s)", rowids), args...)
	if err != nil {
		return nil, false, err
	}

	var docs []*types.Document

	if n := counts[0]; n > 0 {
		count := any(n)
		if n <= math.MaxInt32 {
			count = int32(n)
		}

		docs = append(docs, must.NotFail(types.NewDocument("_id", exact.GroupID, exact.CountField, count)))
	}

	return &backends.QueryResult{Iter: iterator.Values(iterator.ForSlice(docs)), Counted: true}, true, nil
}

// queryInts returns the first column of every row as an integer.
func queryInts(ctx context.Context, db *fsql.DB, q string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, lazyerrors.Error(err)
	}
	defer rows.Close()

	var res []int64

	for rows.Next() {
		var n int64
		if err = rows.Scan(&n); err != nil {
			return nil, lazyerrors.Error(err)
		}

		res = append(res, n)
	}

	if err = rows.Err(); err != nil {
		return nil, lazyerrors.Error(err)
	}

	return res, nil
}

// explainExact returns the exact window's first query, when the find has one.
func (c *collection) explainExact(ctx context.Context, db *fsql.DB, meta *metadata.Collection, params *backends.ExplainParams) (string, []any, bool, error) {
	if params.Exact == nil || params.Exact.Limit <= 0 || meta.Capped() {
		return "", nil, false, nil
	}

	s, ok, err := newExactBuilder(ctx, db, meta).set(params.Filter)
	if !ok || err != nil {
		return "", nil, false, err
	}

	field, descending, ok := exactOrder(params.Exact.Sort, s)
	if !ok {
		return "", nil, false, nil
	}

	queries, args, err := boundsQueries(ctx, db, s, field, descending, params.Exact.Skip, params.Exact.Limit)
	if err != nil {
		return "", nil, false, err
	}

	return queries[0], args[0], true, nil
}
