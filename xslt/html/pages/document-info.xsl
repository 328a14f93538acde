<?xml version="1.0" encoding="UTF-8"?>
<!-- The "Document information" block of a document page, from its teiHeader. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  xmlns:c="urn:x-tei-edition:classes"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  exclude-result-prefixes="#all">

  <xsl:template name="fp:info-row">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="item()*"/>
    <xsl:param name="class" as="xs:string" select="f:slug($label)"/>
    <div class="info-row info-{$class}">
      <!-- the trailing spaces keep label and value apart in the search index (Pagefind
           does not separate the words of adjacent dt and dd) -->
      <dt><xsl:value-of select="$label"/><xsl:text> </xsl:text></dt>
      <dd><xsl:sequence select="$value"/><xsl:text> </xsl:text></dd>
    </div>
  </xsl:template>

  <!-- one respStmt (the context item) as a row: its resp as the label, the rest as the value -->
  <xsl:template name="fp:resp-row">
    <xsl:call-template name="fp:info-row">
      <xsl:with-param name="label" select="fp:ucfirst(string-join(tei:resp, '; '))"/>
      <xsl:with-param name="class" select="'resp'"/>
      <xsl:with-param name="value">
        <xsl:for-each select="* except tei:resp">
          <xsl:if test="position() gt 1">; </xsl:if>
          <xsl:sequence select="fp:inline(.)"/>
        </xsl:for-each>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:function name="fp:inline" as="node()*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:apply-templates select="$nodes" mode="m:text">
      <xsl:with-param name="inline" tunnel="yes" select="true()"/>
    </xsl:apply-templates>
  </xsl:function>


  <!-- Whether some document of the edition gives one of its optional fields (by name): the
       edition context's @info-fields (toolkit/model.py, Edition.info_fields). A context without
       the attribute: every field. -->
  <xsl:function name="fp:edition-has-field" as="xs:boolean">
    <xsl:param name="field" as="xs:string"/>
    <xsl:variable name="given" select="$edition-context/edition/@info-fields"/>
    <xsl:sequence select="empty($given) or $field = tokenize($given)"/>
  </xsl:function>

  <!-- A bibliographic description as a value: mixed content as written; element-only content
       (ELTeC's <bibl><title/><author/><publisher/><date/></bibl>) with its parts apart, ", ". -->
  <xsl:function name="fp:bibl-parts" as="node()*">
    <xsl:param name="bibl" as="element()?"/>
    <xsl:choose>
      <xsl:when test="empty($bibl)"/>
      <xsl:when test="exists($bibl/*) and not($bibl/text()[normalize-space()])">
        <xsl:for-each select="$bibl/*[normalize-space() or @target]">
          <xsl:if test="position() gt 1">, </xsl:if>
          <xsl:sequence select="fp:inline(.)"/>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="fp:inline($bibl/node())"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A language of langUsage: its text, else a name for its @ident (common codes), else the
       ident itself -->
  <!-- the model's date of a document (its label in the edition's date style), as <time> -->
  <xsl:function name="fp:model-date" as="element()">
    <xsl:param name="doc" as="element()"/>
    <xsl:variable name="when" select="string($doc/@when)"/>
    <xsl:choose>
      <xsl:when test="$when castable as xs:date or $when castable as xs:gYearMonth or $when castable as xs:gYear">
        <time class="tei-date" datetime="{$when}"><xsl:value-of select="$doc/date"/></time>
      </xsl:when>
      <xsl:otherwise><span class="tei-date"><xsl:value-of select="$doc/date"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="fp:language-name" as="xs:string">
    <xsl:param name="language" as="element()"/>
    <xsl:variable name="ident" select="normalize-space($language/@ident)"/>
    <xsl:variable name="primary" select="lower-case(tokenize($ident, '-')[1])"/>
    <xsl:sequence select="if (normalize-space($language)) then normalize-space($language)
      else if ($primary != '' and map:contains($c:language-names, $primary))
        then (if ($ident = $primary) then f:language-name($primary)
              else concat(f:language-name($primary), ' (', $ident, ')'))
      else $ident"/>
  </xsl:function>

  <!-- A letter's correspDesc: for each correspAction who sent / received it (names linked to
       their entity pages, as in the text), where and when; then the previous and next letter
       of correspContext. Rows of class info-corresp. -->
  <xsl:variable name="fp:corresp-labels" select="map:merge(
      ('sent',
      'received',
      'forwarded',
      'redirected',
      'transmitted') ! map{.: (f:msg('corresp.' || . || '.by'), f:msg('corresp.' || . || '.from'), f:msg('corresp.' || . || '.date'))})"/>
  <xsl:template name="fp:corresp-rows">
    <xsl:param name="corresp" as="element()*"/>
    <xsl:for-each select="$corresp/tei:correspAction">
      <xsl:variable name="labels" select="($fp:corresp-labels(string(@type)), f:msg('corresp.correspondent'), f:msg('corresp.place'), f:msg('info.date'))[position() le 3]"/>
      <xsl:variable name="fields" select="(
        *[self::tei:persName or self::tei:orgName or ((self::tei:name or self::tei:rs) and not(@type = ('place', 'settlement')))][normalize-space()],
        *[self::tei:placeName or self::tei:settlement or ((self::tei:name or self::tei:rs) and @type = ('place', 'settlement'))][normalize-space()],
        tei:date[normalize-space() or @when])"/>
      <xsl:for-each-group select="$fields" group-by="if (self::tei:date) then 3
          else if (self::tei:placeName or self::tei:settlement or @type = ('place', 'settlement')) then 2 else 1">
        <xsl:sort select="current-grouping-key()"/>
        <xsl:call-template name="fp:info-row">
          <xsl:with-param name="label" select="$labels[current-grouping-key()]"/>
          <xsl:with-param name="class" select="'corresp'"/>
          <xsl:with-param name="value">
            <xsl:for-each select="current-group()">
              <xsl:if test="position() gt 1">; </xsl:if>
              <xsl:choose>
                <xsl:when test="self::tei:date and not(normalize-space())"><xsl:value-of select="f:date-element-label(.)"/></xsl:when>
                <xsl:otherwise><xsl:sequence select="fp:inline(.)"/></xsl:otherwise>
              </xsl:choose>
            </xsl:for-each>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:for-each-group>
    </xsl:for-each>
    <!-- the TEI's ref[@type = 'prev' | 'next']; also the letters' @subtype previous_letter /
         next_letter, within the correspondence or the collection (@type) -->
    <xsl:for-each select="$corresp/tei:correspContext/tei:ref[@type = ('prev', 'next')
                            or @subtype = ('previous_letter', 'next_letter')]">
      <xsl:variable name="next" select="@type = 'next' or @subtype = 'next_letter'"/>
      <xsl:variable name="doc" select="fp:document-target(.)"/>
      <xsl:call-template name="fp:info-row">
        <xsl:with-param name="label" select="f:msg(concat(if ($next) then 'corresp.next' else 'corresp.previous',
          if (@type = 'withinCorrespondence') then '-correspondence'
          else if (@type = 'withinCollection') then '-collection' else ''))"/>
        <xsl:with-param name="class" select="'corresp'"/>
        <xsl:with-param name="value">
          <xsl:variable name="label" as="node()*">
            <xsl:choose>
              <xsl:when test="normalize-space() or *">
                <xsl:apply-templates mode="m:text">
                  <xsl:with-param name="inline" tunnel="yes" select="true()"/>
                  <xsl:with-param name="in-link" tunnel="yes" select="exists($doc)"/>
                </xsl:apply-templates>
              </xsl:when>
              <xsl:when test="exists($doc)"><xsl:value-of select="string-join(($doc/date[normalize-space()], $doc/@title), ' — ')"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="fp:target-label(@target)"/></xsl:otherwise>
            </xsl:choose>
          </xsl:variable>
          <xsl:choose>
            <xsl:when test="exists($doc)"><a href="{$root}{$doc/@page}"><xsl:sequence select="$label"/></a></xsl:when>
            <xsl:otherwise><span class="tei-ref"><xsl:sequence select="$label"/></span></xsl:otherwise>
          </xsl:choose>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <!-- The document of the site a pointer designates: "#id" or a bare id (a document's xml:id),
       or a file ("L00358.xml", relative to the pointing file); () for anything else. -->
  <xsl:function name="fp:document-target" as="element(document)?">
    <xsl:param name="ref" as="element()"/>
    <xsl:variable name="p" select="string(tokenize(normalize-space($ref/@target), ' ')[1])"/>
    <xsl:variable name="file" select="if (contains($p, '#')) then substring-before($p, '#') else $p"/>
    <xsl:variable name="frag" select="substring-after($p, '#')"/>
    <xsl:variable name="found" as="element(document)*">
      <xsl:choose>
        <xsl:when test="$p = '' or empty($edition-context)"/>
        <xsl:when test="$file = ''"><xsl:sequence select="key('fp:document-by-id', $frag, $edition-context)"/></xsl:when>
        <xsl:when test="matches($file, '^[a-zA-Z][a-zA-Z0-9+.-]*:')"/>
        <xsl:otherwise>
          <xsl:variable name="resolved" select="f:resolve-uri($file, $ref)"/>
          <xsl:sequence select="if (exists($resolved)) then key('fp:document-by-uri', replace($resolved, '^file:/+', 'file:///'), $edition-context) else ()"/>
          <xsl:if test="not(contains($p, '#'))"><xsl:sequence select="key('fp:document-by-id', $p, $edition-context)"/></xsl:if>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:sequence select="$found[@page][1]"/>
  </xsl:function>

  <!-- The header's elements that give a field of the edition (an <info-field> of the context),
       by its selectors (toolkit/tei/conventions.py, field_nodes): "resp:PREFIX" a respStmt whose
       resp starts so (any case), "NAME" or "NAME:TYPE" an element of the header. -->
  <xsl:function name="fp:field-nodes" as="element()*">
    <xsl:param name="field" as="element(info-field)"/>
    <xsl:param name="header" as="element()?"/>
    <xsl:sequence select="for $sel in tokenize($field/@find) return
      if (starts-with($sel, 'resp:'))
      then ($header/tei:fileDesc/tei:titleStmt/tei:respStmt | $header/tei:fileDesc/tei:editionStmt/tei:respStmt)
           [some $r in tei:resp satisfies starts-with(lower-case(normalize-space($r)), lower-case(substring-after($sel, 'resp:')))]
      else $header//tei:*[local-name() = substring-before(concat($sel, ':'), ':')]
           [not(contains($sel, ':')) or @type = substring-after($sel, ':')]"/>
  </xsl:function>

  <!-- A field's rows (the context item is its <info-field>): a respStmt as a responsibility row,
       another element by its text; "Not given in the source" when there is none but some
       document of the edition gives the field. -->
  <xsl:template name="fp:field-rows">
    <xsl:param name="nodes" as="element()*"/>
    <xsl:variable name="resp" select="starts-with(@find, 'resp:')"/>
    <xsl:choose>
      <xsl:when test="exists($nodes) and $resp">
        <xsl:for-each select="$nodes"><xsl:call-template name="fp:resp-row"/></xsl:for-each>
      </xsl:when>
      <xsl:when test="exists($nodes)">
        <xsl:call-template name="fp:info-row">
          <xsl:with-param name="label" select="string(@label)"/>
          <xsl:with-param name="value" select="normalize-space($nodes[1])"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="fp:edition-has-field(@name)">
        <xsl:call-template name="fp:info-row">
          <xsl:with-param name="label" select="string(@label)"/>
          <xsl:with-param name="class" select="if ($resp) then 'resp' else f:slug(@label)"/>
          <xsl:with-param name="value"><span class="not-given"><xsl:value-of select="f:msg('info.not-given')"/></span></xsl:with-param>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="f:document-info">
    <xsl:param name="header" as="element()?"/>
    <xsl:param name="doc" as="element(document)?"/>
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="fd" select="$header/tei:fileDesc"/>
    <xsl:variable name="ms" select="$fd/tei:sourceDesc//tei:msIdentifier"/>
    <xsl:variable name="not-given" as="element()"><span class="not-given"><xsl:value-of select="f:msg('info.not-given')"/></span></xsl:variable>
    <section class="doc-info" id="doc-info" aria-labelledby="doc-info-heading">
      <h2 id="doc-info-heading"><xsl:value-of select="f:msg('info.heading')"/></h2>
      <dl class="info-list">
        <xsl:if test="$header/tei:profileDesc/tei:creation//tei:date">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="f:msg('info.date')"/><xsl:with-param name="class" select="'date'"/>
            <!-- the model's label when it dates the document by this date (#14: one date style,
                 as in the title area, the listings and the PDF), else the date as written -->
            <xsl:with-param name="value" select="if (normalize-space($doc/date) and $doc/@when = (($header/tei:profileDesc/tei:creation//tei:date)[1]/(@when, @when-iso))[1])
              then fp:model-date($doc) else fp:inline(($header/tei:profileDesc/tei:creation//tei:date)[1])"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:for-each select="$fd/tei:titleStmt/tei:author">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="f:msg('info.author')"/><xsl:with-param name="class" select="'author'"/>
            <xsl:with-param name="value" select="fp:inline(node())"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:call-template name="fp:corresp-rows">
          <xsl:with-param name="corresp" select="$header/tei:profileDesc/tei:correspDesc"/>
        </xsl:call-template>
        <!-- archival source: the citation, else the identifier's parts, else the source description -->
        <xsl:call-template name="fp:info-row">
          <xsl:with-param name="label" select="f:msg('info.archival-source')"/><xsl:with-param name="class" select="'archival-source'"/>
          <xsl:with-param name="value">
            <xsl:choose>
              <!-- the call number, as the citation gives it (toolkit/tei/citation.py) -->
              <xsl:when test="normalize-space($doc/call-number)">
                <xsl:value-of select="$doc/call-number"/>
              </xsl:when>
              <xsl:when test="$fd/tei:sourceDesc/tei:bibl[not(@type = ('digital-archive', 'listing'))] | $fd/tei:sourceDesc/tei:biblStruct | $fd/tei:sourceDesc/tei:biblFull | $fd/tei:sourceDesc/tei:p">
                <xsl:sequence select="fp:bibl-parts(($fd/tei:sourceDesc/tei:bibl[not(@type = ('digital-archive', 'listing'))], $fd/tei:sourceDesc/tei:biblStruct, $fd/tei:sourceDesc/tei:biblFull, $fd/tei:sourceDesc/tei:p)[1])"/>
              </xsl:when>
              <xsl:otherwise><xsl:sequence select="$not-given"/></xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
        </xsl:call-template>
        <xsl:for-each select="$fd/tei:sourceDesc/tei:bibl[@type = ('digital-archive', 'listing')]">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="f:msg('info.published-source')"/><xsl:with-param name="class" select="'published-source'"/>
            <xsl:with-param name="value" select="fp:inline(node())"/>
          </xsl:call-template>
        </xsl:for-each>
        <!-- responsibilities: the edition's fields given by respStmts first (the context's
             <info-field>s, edition.toml [document_info]: this edition's "Obtained by" and
             "Translated by"; "Not given in the source" when the header has none but some document
             of the edition has the field: fp:edition-has-field), then any other -->
        <xsl:variable name="resps" select="$fd/tei:titleStmt/tei:respStmt | $fd/tei:editionStmt/tei:respStmt"/>
        <xsl:variable name="fields" select="$edition-context/edition/info-field"/>
        <xsl:for-each select="$fields[starts-with(@find, 'resp:')]">
          <xsl:call-template name="fp:field-rows">
            <xsl:with-param name="nodes" select="fp:field-nodes(., $header)"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:for-each select="$resps except $fields[starts-with(@find, 'resp:')]/fp:field-nodes(., $header)">
          <xsl:call-template name="fp:resp-row"/>
        </xsl:for-each>
        <xsl:if test="$fd/tei:publicationStmt/(tei:availability | tei:licence)">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="f:msg('info.rights')"/><xsl:with-param name="class" select="'rights'"/>
            <xsl:with-param name="value">
              <xsl:for-each select="$fd/tei:publicationStmt/tei:availability">
                <xsl:variable name="ref" select="replace(normalize-space(@corresp), '^.*#', '')"/>
                <xsl:if test="$ref and exists($edition-file)">
                  <xsl:for-each select="$edition-file//*[@xml:id = $ref]">
                    <xsl:for-each select="tei:p | tei:licence"><span class="rights-p"><xsl:sequence select="fp:inline(node())"/></span><xsl:text> </xsl:text></xsl:for-each>
                  </xsl:for-each>
                </xsl:if>
                <xsl:for-each select="tei:p | tei:licence">
                  <span class="rights-p">
                    <xsl:choose>
                      <xsl:when test="self::tei:licence and f:safe-url(@target)">
                        <!-- a licence given only by its address (ELTeC): the address as the link text -->
                        <a href="{f:safe-url(@target)}" rel="license noopener"><xsl:value-of select="(normalize-space(.)[. != ''], fp:target-label(@target))[1]"/></a>
                      </xsl:when>
                      <xsl:otherwise><xsl:sequence select="fp:inline(node())"/></xsl:otherwise>
                    </xsl:choose>
                  </span>
                  <!-- the statements are blocks: a space keeps their words apart for search -->
                  <xsl:text> </xsl:text>
                </xsl:for-each>
                <xsl:if test="not(tei:p | tei:licence) and normalize-space()"><span class="rights-p"><xsl:value-of select="normalize-space()"/></span></xsl:if>
              </xsl:for-each>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:if>
        <!-- the edition's other fields (this edition's "Record ID", "Original classification"),
             found as toolkit/tei/conventions.py finds them -->
        <xsl:for-each select="$fields[not(starts-with(@find, 'resp:'))]">
          <xsl:call-template name="fp:field-rows">
            <xsl:with-param name="nodes" select="fp:field-nodes(., $header)[1]"/>
          </xsl:call-template>
        </xsl:for-each>
        <!-- the hands, each with its siglum (the context's <hand>s: toolkit/tei/notes.py) and
             description; the notes and signatures written in a hand link here -->
        <xsl:variable name="hand-notes" select="$tei//tei:handNote"/>
        <xsl:if test="exists($doc/hand) and exists($hand-notes)">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="f:msg('info.hands')"/><xsl:with-param name="class" select="'hands'"/>
            <xsl:with-param name="value">
              <ul class="hand-list">
                <xsl:for-each select="$doc/hand">
                  <xsl:variable name="note" select="$hand-notes[xs:integer(current()/@n)]"/>
                  <li id="hand-note-{@n}"><span class="hand-siglum"><xsl:value-of select="@siglum"/></span><xsl:text> </xsl:text>
                    <xsl:value-of select="f:reading-text($note)"/></li>
                </xsl:for-each>
              </ul>
            </xsl:with-param>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="$header/tei:profileDesc/tei:langUsage/tei:language">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="f:msg('info.languages')"/><xsl:with-param name="class" select="'languages'"/>
            <xsl:with-param name="value" select="string-join($header/tei:profileDesc/tei:langUsage/tei:language/fp:language-name(.)[. != ''], '; ')"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:for-each select="$fd/tei:notesStmt/tei:note">
          <xsl:call-template name="fp:info-row">
            <xsl:with-param name="label" select="f:msg('info.note')"/><xsl:with-param name="class" select="'note'"/>
            <xsl:with-param name="value" select="fp:inline(node())"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:call-template name="fp:info-row">
          <xsl:with-param name="label" select="f:msg('info.edition-id')"/><xsl:with-param name="class" select="'edition-id'"/>
          <xsl:with-param name="value"><code><xsl:value-of select="($doc/@id, $tei/@xml:id)[1]"/></code></xsl:with-param>
        </xsl:call-template>
      </dl>
    </section>
  </xsl:template>
</xsl:stylesheet>
