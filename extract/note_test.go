package extract

import (
	"errors"
	"testing"
)

func TestReadNoted(t *testing.T) {
	tests := []struct {
		text string
		want string // the value, "ERR" for a problem, "-" when there is no note to split off
	}{
		{"22（其中修订16件）", "22"},
		{"55（含自然失效29件）", "55"},
		{"3（均为同一申请人）", "3"},
		{"3(均为同一申请人)", "3"},
		{"12件（其中依申请公开3件）", "12"},
		{"4（包括二件重复申请）", "4"},
		{"2 均为同一申请人", "2"},
		{"7（涉及12人）", "7"},
		{"0（无）", "0"},
		{"十二（其中三件已办结）", "12"},
		{"3+2", "ERR"},
		{"3＋2", "ERR"},
		{"5（另有2件）", "ERR"},
		{"5（另有两件）", "ERR"},
		{"5（不含转办的2件）", "ERR"},
		{"6（2件为上年结转）", "ERR"},
		{"5件另有2件", "ERR"},
		{"（其中3件）", "-"},
		{"1,23（其中1件）", "-"},
		{"1.5", "-"},
		{"3万", "-"},
		{"abc（x）", "-"},
	}
	for _, tt := range tests {
		res, note, ok := readNoted(tt.text, unitCount)
		got := "-"
		switch {
		case !ok:
		case res.Err != nil:
			got = "ERR"
			if !errors.Is(res.Err, ErrNumeral) {
				t.Errorf("readNoted(%q): error %v does not wrap ErrNumeral", tt.text, res.Err)
			}
		case res.Value != nil:
			got = string(*res.Value)
		}
		if got != tt.want {
			t.Errorf("readNoted(%q) = %s (note %q, err %v), want %s", tt.text, got, note, res.Err, tt.want)
		}
		if ok && note == "" {
			t.Errorf("readNoted(%q): no note", tt.text)
		}
	}
}
