// A monitor of a Hotline transparency log built only on Go's reference implementation,
// golang.org/x/mod/sumdb/tlog and golang.org/x/mod/sumdb/note (Debian: golang-golang-x-mod-dev),
// speaking C2SP tlog-tiles paths. Nothing of Hotline's own code is used.
//
//	go run main.go <log URL prefix> <verifier key> <old size> <old root base64> <proof file>
//
// It checks the checkpoint's signature, the root from the hash tiles, every entry of the entry
// bundles against the level-0 tiles, a consistency proof from the old tree, and the tlog-proof
// file's inclusion proof; it prints one "ok" line per check and exits 1 at the first failure.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var prefix string

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func get(path string) []byte {
	response, err := http.Get(prefix + "/" + path)
	if err != nil {
		fail("GET %s: %v", path, err)
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil || response.StatusCode != 200 {
		fail("GET %s: status %d %v", path, response.StatusCode, err)
	}
	return body
}

// c2spPath is a tile's C2SP tlog-tiles path: Go's Tile.Path writes the older tile/8/L/N form.
func c2spPath(t tlog.Tile) string {
	return "tile/" + strings.TrimPrefix(t.Path(), "tile/8/")
}

type tileReader struct{}

func (tileReader) Height() int { return 8 }
func (tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		out[i] = get(c2spPath(t))
	}
	return out, nil
}
func (tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

// openCheckpoint verifies a signed checkpoint and returns its tree.
func openCheckpoint(text []byte, verifier note.Verifier) (string, tlog.Tree) {
	n, err := note.Open(text, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("checkpoint size: %v", err)
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		fail("checkpoint root: %v", err)
	}
	var hash tlog.Hash
	copy(hash[:], root)
	return lines[0], tlog.Tree{N: size, Hash: hash}
}

func main() {
	if len(os.Args) != 6 {
		fail("usage: main <prefix> <vkey> <old size> <old root> <proof file>")
	}
	prefix = strings.TrimRight(os.Args[1], "/")
	verifier, err := note.NewVerifier(os.Args[2])
	if err != nil {
		fail("verifier key: %v", err)
	}
	origin, tree := openCheckpoint(get("checkpoint"), verifier)
	fmt.Printf("ok checkpoint signature: %s, %d entries\n", origin, tree.N)

	reader := tlog.TileHashReader(tree, tileReader{})
	root, err := tlog.TreeHash(tree.N, reader)
	if err != nil || root != tree.Hash {
		fail("root from tiles: %v (%x, checkpoint %x)", err, root, tree.Hash)
	}
	fmt.Println("ok root recomputed from the tiles")

	// Every entry of the entry bundles hashes to its hash in the level-0 tile.
	checked := int64(0)
	for bundle := int64(0); bundle*256 < tree.N; bundle++ {
		width := tree.N - bundle*256
		if width > 256 {
			width = 256
		}
		tile := tlog.Tile{H: 8, L: 0, N: bundle, W: int(width)}
		entriesPath := strings.Replace(c2spPath(tile), "tile/0/", "tile/entries/", 1)
		data := get(entriesPath)
		hashes := get(c2spPath(tile))
		for i := int64(0); i < width; i++ {
			if len(data) < 2 {
				fail("%s ends before entry %d", entriesPath, i)
			}
			length := int(binary.BigEndian.Uint16(data))
			entry := data[2 : 2+length]
			data = data[2+length:]
			leaf := tlog.RecordHash(entry)
			if !bytes.Equal(leaf[:], hashes[i*32:(i+1)*32]) {
				fail("entry %d does not match its level-0 tile", bundle*256+i)
			}
			checked++
		}
		if len(data) != 0 {
			fail("%s holds more than %d entries", entriesPath, width)
		}
	}
	fmt.Printf("ok %d entries match the level-0 tiles\n", checked)

	oldSize, _ := strconv.ParseInt(os.Args[3], 10, 64)
	oldRootBytes, _ := base64.StdEncoding.DecodeString(os.Args[4])
	var oldRoot tlog.Hash
	copy(oldRoot[:], oldRootBytes)
	treeProof, err := tlog.ProveTree(tree.N, oldSize, reader)
	if err != nil {
		fail("consistency proof: %v", err)
	}
	if err := tlog.CheckTree(treeProof, tree.N, tree.Hash, oldSize, oldRoot); err != nil {
		fail("consistency from %d to %d: %v", oldSize, tree.N, err)
	}
	fmt.Printf("ok consistent with the earlier tree of %d entries\n", oldSize)

	// The tlog-proof file: header, extra (the entry), index, proof hashes, blank line, checkpoint.
	proofText, err := os.ReadFile(os.Args[5])
	if err != nil {
		fail("proof file: %v", err)
	}
	parts := strings.SplitN(string(proofText), "\n\n", 2)
	lines := strings.Split(parts[0], "\n")
	if lines[0] != "c2sp.org/tlog-proof@v1" || !strings.HasPrefix(lines[1], "extra ") || !strings.HasPrefix(lines[2], "index ") {
		fail("proof file header")
	}
	entry, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(lines[1], "extra "))
	index, _ := strconv.ParseInt(strings.TrimPrefix(lines[2], "index "), 10, 64)
	var recordProof tlog.RecordProof
	for _, line := range lines[3:] {
		raw, err := base64.StdEncoding.DecodeString(line)
		if err != nil || len(raw) != 32 {
			fail("proof line %q", line)
		}
		var hash tlog.Hash
		copy(hash[:], raw)
		recordProof = append(recordProof, hash)
	}
	_, proofTree := openCheckpoint([]byte(parts[1]), verifier)
	if err := tlog.CheckRecord(recordProof, proofTree.N, proofTree.Hash, index, tlog.RecordHash(entry)); err != nil {
		fail("inclusion proof of entry %d: %v", index, err)
	}
	fmt.Printf("ok the proof file shows entry %d in the checkpoint of %d entries\n", index, proofTree.N)
}
