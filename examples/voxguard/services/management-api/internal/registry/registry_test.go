package registry

import (
	"errors"
	"sync"
	"testing"
	"time"
)

var fixed = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newRegistry() *Registry { return New(func() time.Time { return fixed }) }

func TestCreateAndGetRule(t *testing.T) {
	r := newRegistry()
	rule, err := r.CreateRule(RuleInput{Name: "Wangiri burst", Kind: "wangiri", Threshold: 0.8, Enabled: true})
	if err != nil {
		t.Fatalf("CreateRule: %v", err)
	}
	if rule.ID != "rule-1" || !rule.UpdatedAt.Equal(fixed) {
		t.Fatalf("unexpected rule %+v", rule)
	}
	got, err := r.Rule("rule-1")
	if err != nil || got != rule {
		t.Fatalf("Rule = %+v, %v", got, err)
	}
	if _, err := r.Rule("rule-9"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing rule error = %v", err)
	}
}

func TestRuleValidation(t *testing.T) {
	cases := map[string]RuleInput{
		"name":      {Name: " ", Kind: "irsf", Threshold: 0.5},
		"kind":      {Name: "x", Kind: "spam", Threshold: 0.5},
		"threshold": {Name: "x", Kind: "irsf", Threshold: 1.5},
	}
	for field, in := range cases {
		t.Run(field, func(t *testing.T) {
			_, err := newRegistry().CreateRule(in)
			var verr *ValidationError
			if !errors.As(err, &verr) || verr.Field != field {
				t.Fatalf("err = %v, want validation error on %s", err, field)
			}
			if verr.Error() == "" {
				t.Fatal("empty error text")
			}
		})
	}
}

func TestRulesAreSortedNumerically(t *testing.T) {
	r := newRegistry()
	for i := 0; i < 11; i++ {
		if _, err := r.CreateRule(RuleInput{Name: "r", Kind: "simbox", Threshold: 0.5}); err != nil {
			t.Fatal(err)
		}
	}
	rules := r.Rules()
	if len(rules) != 11 || rules[1].ID != "rule-2" || rules[10].ID != "rule-11" {
		t.Fatalf("order wrong: first=%s second=%s last=%s", rules[0].ID, rules[1].ID, rules[10].ID)
	}
}

func TestUpdateAndDeleteRule(t *testing.T) {
	r := newRegistry()
	rule, _ := r.CreateRule(RuleInput{Name: "IRSF", Kind: "irsf", Threshold: 0.5})
	updated, err := r.UpdateRule(rule.ID, RuleInput{Name: "IRSF strict", Kind: "irsf", Threshold: 0.3, Enabled: true})
	if err != nil || updated.Name != "IRSF strict" || !updated.Enabled {
		t.Fatalf("UpdateRule = %+v, %v", updated, err)
	}
	if _, err := r.UpdateRule("rule-99", RuleInput{Name: "x", Kind: "irsf"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("update missing = %v", err)
	}
	if _, err := r.UpdateRule(rule.ID, RuleInput{}); err == nil {
		t.Fatal("invalid update accepted")
	}
	if err := r.DeleteRule(rule.ID); err != nil {
		t.Fatal(err)
	}
	if err := r.DeleteRule(rule.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second delete = %v", err)
	}
}

func TestBlockList(t *testing.T) {
	r := newRegistry()
	if _, err := r.Block("0803", "bad"); err == nil {
		t.Fatal("non-E.164 accepted")
	}
	for _, n := range []string{"+88212345678", "+37060012345"} {
		if _, err := r.Block(n, "wangiri"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.Block("+37060012345", "again"); !errors.Is(err, ErrConflict) {
		t.Fatalf("duplicate block = %v", err)
	}
	list := r.Blocked()
	if len(list) != 2 || list[0].Number != "+37060012345" {
		t.Fatalf("Blocked = %+v", list)
	}
	if !r.IsBlocked("+88212345678") || r.IsBlocked("+2348031234567") {
		t.Fatal("IsBlocked wrong")
	}
	if err := r.Unblock("+88212345678"); err != nil {
		t.Fatal(err)
	}
	if err := r.Unblock("+88212345678"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second unblock = %v", err)
	}
	if rules, blocked := r.Counts(); rules != 0 || blocked != 1 {
		t.Fatalf("Counts = %d, %d", rules, blocked)
	}
}

func TestDefaultClockAndConcurrency(t *testing.T) {
	r := New(nil)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = r.CreateRule(RuleInput{Name: "c", Kind: "wangiri", Threshold: 0.1})
			_ = r.Rules()
		}()
	}
	wg.Wait()
	if n, _ := r.Counts(); n != 8 {
		t.Fatalf("rules = %d, want 8", n)
	}
	if r.Rules()[0].UpdatedAt.IsZero() {
		t.Fatal("default clock not used")
	}
}
