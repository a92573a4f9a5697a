// Package registry keeps VoxGuard's fraud rules and blocked numbers in memory.
package registry

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned when an ID or number is not in the registry.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when creating something that already exists.
var ErrConflict = errors.New("already exists")

// ValidationError reports an invalid input field.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("%s: %s", e.Field, e.Reason)
}

// Kinds of fraud a rule can target; they match the detection engine's rules.
var validKinds = map[string]bool{"wangiri": true, "simbox": true, "irsf": true}

var e164 = regexp.MustCompile(`^\+[0-9]{7,15}$`)

// Rule configures one detection rule of the engine.
type Rule struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Threshold float64   `json:"threshold"`
	Enabled   bool      `json:"enabled"`
	UpdatedAt time.Time `json:"updated_at"`
}

// RuleInput is the client-supplied part of a Rule.
type RuleInput struct {
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	Threshold float64 `json:"threshold"`
	Enabled   bool    `json:"enabled"`
}

// Validate checks a rule input.
func (in RuleInput) Validate() error {
	if strings.TrimSpace(in.Name) == "" {
		return &ValidationError{"name", "must not be empty"}
	}
	if !validKinds[in.Kind] {
		return &ValidationError{"kind", "must be one of irsf, simbox, wangiri"}
	}
	if in.Threshold < 0 || in.Threshold > 1 {
		return &ValidationError{"threshold", "must lie in [0, 1]"}
	}
	return nil
}

// BlockedNumber is an E.164 number whose calls are refused.
type BlockedNumber struct {
	Number    string    `json:"number"`
	Reason    string    `json:"reason"`
	BlockedAt time.Time `json:"blocked_at"`
}

// Registry is safe for concurrent use.
type Registry struct {
	mu      sync.RWMutex
	now     func() time.Time
	nextID  int
	rules   map[string]Rule
	blocked map[string]BlockedNumber
}

// New returns an empty registry using clock for timestamps (time.Now if nil).
func New(clock func() time.Time) *Registry {
	if clock == nil {
		clock = time.Now
	}
	return &Registry{
		now:     clock,
		rules:   map[string]Rule{},
		blocked: map[string]BlockedNumber{},
	}
}

// Rules lists all rules ordered by ID number.
func (r *Registry) Rules() []Rule {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Rule, 0, len(r.rules))
	for _, rule := range r.rules {
		out = append(out, rule)
	}
	sort.Slice(out, func(i, j int) bool { return idNumber(out[i].ID) < idNumber(out[j].ID) })
	return out
}

func idNumber(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "rule-"))
	return n
}

// Rule returns one rule.
func (r *Registry) Rule(id string) (Rule, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	rule, ok := r.rules[id]
	if !ok {
		return Rule{}, ErrNotFound
	}
	return rule, nil
}

// CreateRule validates and stores a new rule.
func (r *Registry) CreateRule(in RuleInput) (Rule, error) {
	if err := in.Validate(); err != nil {
		return Rule{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.nextID++
	rule := Rule{
		ID:        "rule-" + strconv.Itoa(r.nextID),
		Name:      in.Name,
		Kind:      in.Kind,
		Threshold: in.Threshold,
		Enabled:   in.Enabled,
		UpdatedAt: r.now().UTC(),
	}
	r.rules[rule.ID] = rule
	return rule, nil
}

// UpdateRule replaces the fields of an existing rule.
func (r *Registry) UpdateRule(id string, in RuleInput) (Rule, error) {
	if err := in.Validate(); err != nil {
		return Rule{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	rule, ok := r.rules[id]
	if !ok {
		return Rule{}, ErrNotFound
	}
	rule.Name, rule.Kind, rule.Threshold, rule.Enabled = in.Name, in.Kind, in.Threshold, in.Enabled
	rule.UpdatedAt = r.now().UTC()
	r.rules[id] = rule
	return rule, nil
}

// DeleteRule removes a rule.
func (r *Registry) DeleteRule(id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.rules[id]; !ok {
		return ErrNotFound
	}
	delete(r.rules, id)
	return nil
}

// Blocked lists blocked numbers in lexical order.
func (r *Registry) Blocked() []BlockedNumber {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]BlockedNumber, 0, len(r.blocked))
	for _, b := range r.blocked {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

// Block adds an E.164 number to the block list.
func (r *Registry) Block(number, reason string) (BlockedNumber, error) {
	if !e164.MatchString(number) {
		return BlockedNumber{}, &ValidationError{"number", "must be E.164, e.g. +2348031234567"}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.blocked[number]; ok {
		return BlockedNumber{}, ErrConflict
	}
	b := BlockedNumber{Number: number, Reason: reason, BlockedAt: r.now().UTC()}
	r.blocked[number] = b
	return b, nil
}

// IsBlocked reports whether number is on the block list.
func (r *Registry) IsBlocked(number string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.blocked[number]
	return ok
}

// Unblock removes a number from the block list.
func (r *Registry) Unblock(number string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.blocked[number]; !ok {
		return ErrNotFound
	}
	delete(r.blocked, number)
	return nil
}

// Counts returns the number of rules and blocked numbers.
func (r *Registry) Counts() (rules, blocked int) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.rules), len(r.blocked)
}
