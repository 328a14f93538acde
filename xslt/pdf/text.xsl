<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI text → Typst markup (mode #default): the transcription, notes, names, alternatives,
  closers. Each element becomes a call of a function of the house-style template edition.typ
  (ed-…); how it looks is decided there. Any element without a rule here prints its content
  (ed-unknown), so nothing vanishes.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:ty="urn:x-tei-edition:typst"
  xmlns:ln="urn:x-tei-edition:line"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <xsl:import href="../lib/lines.xsl"/>
  <xsl:import href="../lib/apparatus.xsl"/>
  <xsl:include href="sourcedoc.xsl"/>

  <!-- Elements laid out as blocks when they stand between blocks. -->
  <xsl:variable name="ty:containers" as="xs:string*"
    select="('body', 'front', 'back', 'div', 'div1', 'div2', 'div3', 'div4', 'div5', 'div6',
             'div7', 'group', 'text', 'lg', 'sp', 'list', 'listBibl', 'closer', 'opener',
             'titlePage', 'floatingText', 'figure', 'postscript', 'argument', 'epigraph',
             'trailer', 'table', 'row')"/>

  <!-- Every element: a source-line marker, and a language switch where xml:lang says so, with
       its direction always explicit (Typst derives it from only a few languages). -->
  <xsl:template match="*" priority="100">
    <xsl:value-of select="ty:mark(.)"/>
    <xsl:variable name="lang" select="if (@xml:lang and not(self::tei:text)) then string(ty:lang(@xml:lang)) else ''"/>
    <xsl:choose>
      <xsl:when test="$lang != ''">
        <xsl:variable name="dir" select="f:lang-dir(@xml:lang)"/>
        <!-- traditional Chinese (by script or region) takes its own Han face -->
        <xsl:variable name="han" select="if ($lang = 'zh' and matches(string(f:lang(@xml:lang)), '-(Hant|TW|HK|MO)(-|$)')) then ', han: &quot;zh-hant&quot;' else ''"/>
        <xsl:value-of select="concat('#ed-lang(', ty:lit($lang), if (exists($dir)) then ', dir: ' || $dir else '', $han, ')[')"/>
        <xsl:next-match/>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="text()">
    <xsl:value-of select="ty:run(.)"/>
  </xsl:template>
  <xsl:template match="comment() | processing-instruction()"/>

  <!-- Fallback: an element without a rule prints its content. -->
  <xsl:template match="*">
    <xsl:value-of select="concat('#ed-unknown(', ty:lit(local-name()), ')[')"/>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- Elements the template lays out as paragraphs; inside them, blocks become inline. -->
  <xsl:variable name="ty:par-names" as="xs:string*"
    select="('p', 'ab', 'head', 'trailer', 'byline', 'docImprint', 'docAuthor', 'titlePart',
             'docDate', 'postscript', 'address', 'l', 'speaker', 'label', 'salute', 'dateline',
             'signed', 'stamp', 'roleName', 'figDesc', 'bibl')"/>
  <xsl:variable name="ty:block-fns" as="xs:string*"
    select="('ed-p', 'ed-head', 'ed-minutes', 'ed-list', 'ed-item', 'ed-lg', 'ed-l', 'ed-sp',
             'ed-speaker', 'ed-stage-block', 'ed-quote', 'ed-figure', 'ed-closer', 'ed-seal',
             'ed-role', 'ed-signed', 'ed-salute', 'ed-dateline', 'ed-label-head')"/>

  <!-- Whether an element stands inside a paragraph of the output (notes, cells and figures
       start a flow of their own). -->
  <xsl:function name="ty:inline" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="par" select="$e/ancestor::*[local-name() = $ty:par-names][1]"/>
    <xsl:variable name="sep" select="$e/ancestor::*[self::tei:note or self::tei:cell or self::tei:figure][1]"/>
    <xsl:sequence select="exists($par) and (empty($sep) or $par &gt;&gt; $sep)"/>
  </xsl:function>

  <xsl:template name="ty:call">
    <xsl:param name="fn" as="xs:string"/>
    <xsl:param name="args" as="xs:string" select="''"/>
    <xsl:param name="content" as="item()*" select="node()"/>
    <xsl:value-of select="if ($fn = $ty:block-fns and ty:inline(.))
                          then concat('#ed-inline-block(', ty:lit($fn), ')[')
                          else concat('#', $fn, if ($args != '') then concat('(', $args, ')') else '', '[')"/>
    <xsl:apply-templates select="$content"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- Structure -->
  <xsl:template match="tei:text | tei:body | tei:front | tei:back | tei:group | tei:div | tei:div1
                       | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7
                       | tei:titlePage | tei:docTitle | tei:argument | tei:epigraph">
    <xsl:apply-templates/>
  </xsl:template>
  <xsl:template match="tei:teiHeader | tei:facsimile | tei:standOff"/>
  <!-- parts that are not part of the text (link groups, interpretations, spans …: the class
       not-rendered of xslt/lib/tei-classes.xml), as on the HTML page; forme work has its own rule -->
  <xsl:template match="tei:*[local-name() = $c:not-rendered][not(self::tei:fw)]" priority="1"/>

  <xsl:template match="tei:p | tei:ab | tei:trailer | tei:byline | tei:docImprint | tei:docAuthor
                       | tei:titlePart | tei:docDate | tei:postscript | tei:address">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-p'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:head[@type = 'minutes']">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-minutes'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:head">
    <!-- only divisions that have a heading count: PDF/UA forbids skipped heading levels -->
    <xsl:variable name="depth" select="count(ancestor::*[local-name() = ('div', 'div1', 'div2',
      'div3', 'div4', 'div5', 'div6', 'div7')][tei:head[not(@type = 'minutes')]])"/>
    <xsl:call-template name="ty:call">
      <xsl:with-param name="fn" select="if (parent::tei:figure or parent::tei:table or parent::tei:list
                                            or parent::tei:lg) then 'ed-label-head' else 'ed-head'"/>
      <xsl:with-param name="args" select="concat('level: ', min((max((2, $depth + 1)), 6)))"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A register of the back matter (the document's authority data, toolkit/tei/registers.py):
       one line of its entries' names, as on the HTML page; what the entries say is in the index
       and on the entity pages. -->
  <xsl:template match="tei:back//tei:*[local-name() = $c:register-lists][not(ancestor::tei:*[local-name() = $c:register-lists])]" priority="3">
    <xsl:variable name="entries" select="*[not(self::tei:head)][normalize-space() or @xml:id]"/>
    <xsl:if test="exists($entries)">
      <xsl:value-of select="concat(ty:mark(.), '#ed-p[', ty:text(concat((normalize-space(tei:head[1])[. != ''], f:register-label(local-name()))[1], ': ')))"/>
      <xsl:value-of select="ty:text(string-join(for $e in $entries return
        (f:preferred-name(if ($e/@xml:id) then f:entity(concat('#', $e/@xml:id), $e) else ()), f:register-entry-name($e))[normalize-space()][1], ', '))"/>
      <xsl:text>]</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:list | tei:listBibl">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-list'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:item | tei:bibl[parent::tei:listBibl]">
    <xsl:call-template name="ty:call">
      <xsl:with-param name="fn" select="'ed-item'"/>
      <xsl:with-param name="args" select="if (contains(lower-case(string(../@rend)), 'bullet'))
                                          then 'bullet: true' else ''"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:label">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-label'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:lg">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-lg'"/></xsl:call-template>
  </xsl:template>
  <!-- a verse line, with the number the editor gave where lib/lines.xsl says it is shown -->
  <xsl:template match="tei:l">
    <xsl:variable name="shown" select="f:verse-number-shown(.)"/>
    <xsl:value-of select="if (ty:inline(.)) then '#ed-inline-block(&quot;ed-l&quot;)[' else '#ed-l['"/>
    <xsl:apply-templates/>
    <xsl:if test="exists($shown)"><xsl:value-of select="concat('#ed-verse-n(', ty:lit($shown), ')')"/></xsl:if>
    <xsl:text>]</xsl:text>
  </xsl:template>
  <xsl:template match="tei:sp">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-sp'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:speaker">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-speaker'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:stage | tei:castList | tei:castItem | tei:set">
    <xsl:call-template name="ty:call">
      <xsl:with-param name="fn" select="if (local-name(..) = $ty:containers) then 'ed-stage-block' else 'ed-stage'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:quote | tei:cit">
    <xsl:call-template name="ty:call">
      <xsl:with-param name="fn" select="if (local-name(..) = $ty:containers) then 'ed-quote' else 'ed-inline-quote'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:q | tei:said | tei:soCalled">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-q'"/></xsl:call-template>
  </xsl:template>

  <!-- Tables: the toolkit lays each table out (toolkit/build/pdf_tables.py) and gives the
       number of columns (@ln:columns) and every cell's place and spans (@ln:x, @ln:y,
       @ln:colspan, @ln:rowspan), honouring the cells' @cols and @rows within bounds. Without
       them (the stylesheet run on its own) the cells flow row by row, one grid cell each. The
       table's own @cols and @rows are not read: its cells say what they span. -->
  <xsl:function name="ty:int" as="xs:string?">
    <xsl:param name="a" as="attribute()?"/>
    <xsl:sequence select="if ($a castable as xs:integer and xs:integer($a) ge 0
                              and xs:integer($a) lt 1000000) then string(xs:integer($a)) else ()"/>
  </xsl:function>

  <xsl:template match="tei:table">
    <xsl:variable name="columns" select="(ty:int(@ln:columns),
                                          string(min((64, max((1, for $r in tei:row return count($r/tei:cell)))))))[1]"/>
    <xsl:value-of select="concat('#ed-table(columns: ', $columns, ', (')"/>
    <xsl:for-each select="tei:row/tei:cell">
      <xsl:value-of select="ty:mark(.)"/>
      <xsl:if test="ty:int(@ln:x) and ty:int(@ln:y)">
        <xsl:value-of select="concat('ed-cell(x: ', ty:int(@ln:x), ', y: ', ty:int(@ln:y),
                                     ', colspan: ', (ty:int(@ln:colspan), '1')[1],
                                     ', rowspan: ', (ty:int(@ln:rowspan), '1')[1], ')')"/>
      </xsl:if>
      <xsl:text>[</xsl:text><xsl:apply-templates/><xsl:text>], </xsl:text>
    </xsl:for-each>
    <xsl:text>))</xsl:text>
    <xsl:if test="tei:head | *[not(self::tei:row or self::tei:head)]">
      <xsl:apply-templates select="tei:head | *[not(self::tei:row or self::tei:head)]"/>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:figure">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-figure'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:figDesc">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-figdesc'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:graphic | tei:media">
    <xsl:value-of select="concat('#ed-graphic(', ty:lit(@url), ')')"/>
  </xsl:template>
  <xsl:template match="tei:formula">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-code'"/></xsl:call-template>
  </xsl:template>

  <!-- Letters and documents: opener, closer, seal, signature -->
  <xsl:template match="tei:closer | tei:opener">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-closer'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:stamp">
    <xsl:call-template name="ty:call">
      <xsl:with-param name="fn" select="if (local-name(..) = $ty:containers) then 'ed-seal' else 'ed-stamp'"/>
      <xsl:with-param name="args" select="concat('type: ', ty:lit(@type))"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:roleName[parent::tei:closer or parent::tei:opener]">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-role'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:signed">
    <xsl:call-template name="ty:call">
      <xsl:with-param name="fn" select="'ed-signed'"/>
      <xsl:with-param name="args" select="concat('hand: ', ty:lit(ty:hand(@hand, .)))"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:salute">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-salute'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:dateline">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-dateline'"/></xsl:call-template>
  </xsl:template>

  <!-- The siglum of the hand a pointer names ("A"), as every output shows it: the context's
       (document/hand/@siglum, toolkit/tei/notes.py hand_sigla); a pointer that names no handNote
       of the document keeps its label (f:hand-label); "" for none. -->
  <xsl:function name="ty:hand" as="xs:string">
    <xsl:param name="hand" as="xs:string?"/>
    <xsl:param name="from" as="node()"/>
    <xsl:variable name="id" select="fp:hand-id($hand)"/>
    <xsl:sequence select="string((f:document($from)/hand[$id != ''][@ref = $id]/@siglum,
                                  f:hand-label($hand, $from), '')[1])"/>
  </xsl:function>

  <!-- Notes: marginal ones (f:is-marginal, as on the HTML page: handwritten, with a hand, or
       placed in a margin) in the outer margin, the others numbered footnotes; a note inside a
       note or a margin note stays in the text. -->
  <xsl:template match="tei:note[f:is-marginal(.)]">
    <xsl:for-each select=".//(tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName)">
      <xsl:value-of select="ty:ix(.)"/>
    </xsl:for-each>
    <xsl:variable name="fn" select="if (ty:inline(.) or ../text()[normalize-space()])
                                    then 'ed-margin' else 'ed-margin-block'"/>
    <xsl:value-of select="concat('#', $fn, '(hand: ', ty:lit(ty:hand(@hand, .)),
                                 ', where: ', ty:lit(@place), ')[')"/>
    <xsl:apply-templates mode="ty:margin"/>
    <xsl:text>]</xsl:text>
  </xsl:template>
  <xsl:template match="tei:note">
    <xsl:call-template name="ty:call">
      <xsl:with-param name="fn" select="if (ancestor::tei:note) then 'ed-inline-note' else 'ed-note'"/>
      <xsl:with-param name="args" select="if (not(ancestor::tei:note) and ty:joined(., ())) then 'joined: true' else ''"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Whether the footnote number after e (a note, a choice or app after its reading, an
       element notes are attached to) stands inside a word: a letter or mark is printed before it
       (the last of `printed`, else the text before e) and after it, with no line break between
       ("upaj<choice>…</choice>yante"). edition.typ puts a narrow space before the other numbers,
       so that they copy apart from their word (Typst drops a space before a footnote: "ca
       <note/>vaidikāḥ" would print and copy as "ca¹vaidikāḥ"). -->
  <xsl:function name="ty:joined" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="printed" as="text()*"/>
    <xsl:variable name="outside" select="$e/ancestor::tei:note"/>
    <!-- the nearest text (or break) on either side: [1] on the axis stops the walk there -->
    <xsl:variable name="before" select="($printed, $e/preceding::text()[not(ancestor::tei:note except $outside)][1])[1]"/>
    <xsl:variable name="next" select="$e/following::node()[self::text() or self::tei:space or self::tei:gap
      or self::tei:lb[not(@break = ('no', 'false'))] or self::tei:cb[not(@break = ('no', 'false'))]]
      [not(ancestor::tei:note except $outside)][1]"/>
    <xsl:sequence select="$next instance of text() and matches(string($before), '[\p{L}\p{M}]$')
                          and matches(string($next), '^[\p{L}\p{M}]')"/>
  </xsl:function>
  <xsl:function name="ty:joined-arg" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="printed" as="text()*"/>
    <xsl:sequence select="if (ty:joined($e, $printed[last()])) then ', joined: true' else ''"/>
  </xsl:function>

  <!-- Inside a margin note: the same rules, except that names print without index markers
       (the anchor carries them) and notes stay inline. -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName"
                mode="ty:margin">
    <xsl:apply-templates mode="ty:margin"/>
  </xsl:template>
  <xsl:template match="tei:note" mode="ty:margin">
    <xsl:text>#ed-inline-note[</xsl:text><xsl:apply-templates mode="ty:margin"/><xsl:text>]</xsl:text>
  </xsl:template>
  <xsl:template match="text()" mode="ty:margin"><xsl:value-of select="ty:run(.)"/></xsl:template>
  <xsl:template match="*" mode="ty:margin"><xsl:apply-templates select="."/></xsl:template>

  <!-- Names: an invisible index marker, then the name. -->
  <xsl:function name="ty:name-kind" as="xs:string">
    <xsl:param name="n" as="element()"/>
    <xsl:variable name="e" select="f:entity(($n/@ref, $n/@key)[1], $n)"/>
    <xsl:variable name="t" select="lower-case(string($n/@type))"/>
    <xsl:sequence select="if ($e) then string($e/@kind)
      else if ($n/self::tei:persName) then 'person'
      else if ($n/self::tei:placeName or $n/self::tei:geogName) then 'place'
      else if ($n/self::tei:orgName) then 'org'
      else if ($t = ('person', 'persname', 'pers')) then 'person'
      else if ($t = ('place', 'placename', 'geog', 'country', 'settlement')) then 'place'
      else if ($t = ('org', 'orgname', 'organisation', 'organization')) then 'org'
      else 'name'"/>
  </xsl:function>

  <xsl:function name="ty:ix" as="xs:string">
    <xsl:param name="n" as="element()"/>
    <xsl:variable name="e" select="f:entity(($n/@ref, $n/@key)[1], $n)"/>
    <xsl:variable name="text" select="f:reading-text($n)"/>
    <xsl:sequence select="if ($e) then concat('#ed-ix(', ty:lit(ty:name-kind($n)), ', ', ty:lit($e/@id), ')')
                          else if ($text = '') then ''
                          else concat('#ed-ix(', ty:lit(ty:name-kind($n)), ', ', ty:lit(concat('txt:', $text)),
                                      ', name: ', ty:lit($text), ', sort: ', ty:lit(f:sort-key($text)), ')')"/>
  </xsl:function>

  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:name | tei:rs | tei:geogName">
    <xsl:value-of select="ty:ix(.)"/>
    <xsl:choose>
      <xsl:when test="ancestor::tei:persName | ancestor::tei:placeName | ancestor::tei:orgName
                      | ancestor::tei:name | ancestor::tei:rs | ancestor::tei:geogName">
        <xsl:apply-templates/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-nm'"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Alternatives: the reading form in the text, the other form in a footnote. -->
  <xsl:template match="tei:choice">
    <xsl:variable name="reading" select="f:choice-reading(.)"/>
    <xsl:variable name="others" select="* except $reading"/>
    <xsl:variable name="kind" select="if (tei:sic) then 'sic' else if (tei:abbr) then 'abbr' else 'orig'"/>
    <xsl:value-of select="concat('#ed-choice(kind: ', ty:lit($kind), ty:joined-arg(., $reading/descendant-or-self::text()[not(ancestor::tei:note)]), ', [')"/>
    <xsl:apply-templates select="$reading/node()"/>
    <xsl:text>], [</xsl:text>
    <xsl:for-each select="$others">
      <xsl:if test="position() gt 1"><xsl:text> | </xsl:text></xsl:if>
      <xsl:apply-templates select="node()" mode="ty:margin"/>
    </xsl:for-each>
    <xsl:text>])</xsl:text>
  </xsl:template>
  <!-- The critical apparatus (the rules of lib/apparatus.xsl, as on the HTML page): the lemma in
       the text, a footnote "lemma] reading B; om. C (fol. 3r)". An app or note attached elsewhere
       is a footnote at its anchor and nothing where it stands. -->
  <xsl:template match="tei:app">
    <xsl:variable name="lem" select="f:app-reading(.)"/>
    <xsl:value-of select="concat('#ed-app(lemma: ', ty:lit(if (exists($lem)) then f:reading-text($lem) else ''), ty:joined-arg(., $lem/descendant-or-self::text()[not(ancestor::tei:note)]), ', [')"/>
    <xsl:apply-templates select="$lem/node() except $lem//tei:witDetail"/>
    <xsl:text>], [</xsl:text>
    <xsl:call-template name="ty:app-readings"/>
    <xsl:text>])</xsl:text>
    <xsl:apply-templates select="tei:note"/>
  </xsl:template>

  <xsl:template name="ty:app-readings">
    <xsl:for-each select="f:app-variants(.)">
      <xsl:if test="position() gt 1"><xsl:text>; </xsl:text></xsl:if>
      <xsl:choose>
        <xsl:when test="f:reading-omitted(.)"><xsl:text>#ed-om()</xsl:text></xsl:when>
        <xsl:otherwise><xsl:apply-templates select="node() except .//tei:witDetail" mode="ty:margin"/></xsl:otherwise>
      </xsl:choose>
      <xsl:if test="exists(f:reading-sigla(.))"><xsl:value-of select="concat(' ', ty:text(string-join(f:reading-sigla(.), ' ')))"/></xsl:if>
      <xsl:apply-templates select="f:reading-details(.)" mode="ty:wit-detail"/>
    </xsl:for-each>
    <xsl:apply-templates select="f:app-other-details(.)" mode="ty:wit-detail"/>
  </xsl:template>

  <xsl:template match="tei:witDetail" mode="ty:wit-detail">
    <xsl:text>#ed-wit-detail[</xsl:text>
    <xsl:apply-templates mode="ty:margin"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:app[f:attached-elsewhere(.)] | tei:note[f:attached-elsewhere(.)]" priority="5"/>

  <!-- an element apps or notes are attached to (an anchor, a word …): the element, then their
       footnotes -->
  <xsl:template match="tei:*[@xml:id or self::tei:anchor[@n]][exists(f:attached-here(.))]" priority="50">
    <xsl:next-match/>
    <xsl:variable name="joined" select="ty:joined-arg(., descendant::text()[not(ancestor::tei:note)])"/>
    <xsl:for-each select="f:attached-here(.)">
      <xsl:choose>
        <xsl:when test="self::tei:app">
          <xsl:variable name="lem" select="f:app-lemma(.)"/>
          <xsl:value-of select="concat('#ed-app-note(lemma: ', ty:lit(if (exists($lem)) then f:reading-text($lem) else f:spanned-text(.)), $joined, ')[')"/>
          <xsl:call-template name="ty:app-readings"/>
          <xsl:apply-templates select="tei:note" mode="ty:margin"/>
          <xsl:text>]</xsl:text>
        </xsl:when>
        <xsl:otherwise>
          <xsl:value-of select="concat('#ed-note(', substring-after($joined, ', '), ')[')"/>
          <xsl:apply-templates/>
          <xsl:text>]</xsl:text>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:sic | tei:orig | tei:abbr | tei:corr | tei:reg | tei:expan | tei:lem | tei:rdg">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- Inline renditions and editorial marks -->
  <xsl:template match="tei:hi">
    <xsl:call-template name="ty:call">
      <xsl:with-param name="fn" select="'ed-hi'"/>
      <xsl:with-param name="args" select="ty:lit(string-join((@rend, @rendition, @style), ' '))"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:emph | tei:foreign | tei:mentioned | tei:term[@rend = 'italic']">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-emph'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:title">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-title'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:code | tei:eg | tei:tag | tei:gi | tei:att | tei:val | tei:ident">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-code'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:supplied">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-supplied'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:unclear">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-unclear'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:del | tei:surplus">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-del'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:add">
    <xsl:call-template name="ty:call"><xsl:with-param name="fn" select="'ed-add'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:gap">
    <!-- in the body of a document the model says is not transcribed: the marker of that -->
    <xsl:value-of select="concat('#ed-gap(reason: ', ty:lit(@reason),
      if (parent::tei:body and f:document(.)/@transcribed = 'false') then ', untranscribed: true' else '', ')')"/>
    <xsl:apply-templates/>
  </xsl:template>
  <!-- an empty date prints its label (f:date-element-label: "1937–1940", "after 1937"), as on
       the HTML page -->
  <xsl:template match="tei:date[not(normalize-space()) and not(*)] | tei:time[not(normalize-space()) and not(*)]">
    <xsl:variable name="label" select="f:date-element-label(.)"/>
    <xsl:if test="$label != ''"><xsl:value-of select="ty:text($label)"/></xsl:if>
  </xsl:template>
  <xsl:template match="tei:space">#ed-space()</xsl:template>
  <xsl:template match="tei:lb">
    <xsl:if test="not(@break = 'no') and preceding-sibling::node()[normalize-space() or self::*]">#ed-lb()</xsl:if>
  </xsl:template>
  <!-- A page or column break prints nothing, but ends a word unless it joins (break="no", a
       spaceless script: the rule of f:joining-break, on the nearest texts only), as on the HTML
       page, where its marker stands:
       "taddharma<pb/>taddharmas" is two words, not "taddharmataddharmas". -->
  <xsl:template match="tei:pb">
    <xsl:value-of select="concat(ty:break-space(.), '#ed-pb(n: ', ty:lit(@n), ')')"/>
  </xsl:template>
  <xsl:template match="tei:cb">
    <xsl:value-of select="ty:break-space(.)"/>
  </xsl:template>
  <xsl:function name="ty:break-space" as="xs:string">
    <xsl:param name="b" as="element()"/>
    <xsl:variable name="before" select="$b/preceding::text()[not(ancestor::tei:note except $b/ancestor::tei:note)][1]"/>
    <xsl:variable name="after" select="$b/following::text()[not(ancestor::tei:note except $b/ancestor::tei:note)][1]"/>
    <xsl:variable name="par" select="$b/ancestor::*[local-name() = $ty:par-names][1]"/>
    <xsl:sequence select="if (ty:inline($b) and matches(string($before), '\S$') and matches(string($after), '^\S')
                              and $before/ancestor::* intersect $par and $after/ancestor::* intersect $par
                              and not($b/@break = ('no', 'false'))
                              and not(matches(string($before), $f:spaceless-char || '$')
                                      and matches(string($after), '^' || $f:spaceless-char))) then ' ' else ''"/>
  </xsl:function>
  <xsl:template match="tei:milestone | tei:handShift | tei:anchor | tei:index | tei:fw[@type = ('catch', 'sig')]"/>
  <xsl:template match="tei:ref[f:safe-url(@target) and matches(@target, '^(https?|mailto):')]">
    <xsl:value-of select="concat('#ed-link(', ty:lit(f:safe-url(@target)), ')[')"/>
    <xsl:apply-templates/>
    <xsl:text>]</xsl:text>
  </xsl:template>
  <xsl:template match="tei:ptr">
    <xsl:value-of select="ty:text(string(@target))"/>
  </xsl:template>
</xsl:stylesheet>
